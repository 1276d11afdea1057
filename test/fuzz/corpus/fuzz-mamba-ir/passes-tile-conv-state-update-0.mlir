// The heuristic of mamba-tile-conv-state-update
// (passes/TileConvStateUpdate.cpp) is the state update's, as the state rows
// it streams are the same: lanes_per_row = N / 16 (16 state values a lane),
// at least min(4, the 16-byte vectors of a state row), at most 32, rounded
// down to a power of two that divides N; 4 warps. An existing tile is kept;
// the `tile` option replaces the parameters it names (OVR).

// mamba2-130m: H = 24, P = 64, N = 128, f32 state: 8 lanes of 16 values
// (4 vectors each).
// OVR-LABEL: func.func @mamba2_130m
// OVR: tile = #mamba.tile<lanes_per_row = 8, warps = 8>
func.func @mamba2_130m(%x: tensor<?x1792xbf16>, %cs: tensor<?x1792x3xbf16>, %w: tensor<1792x4xbf16>, %s: tensor<?x24x64x128xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>, tensor<?x1792x3xbf16>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1664 : i64, ngroups = 1 : i64} : (tensor<?x1792xbf16>, tensor<?x1792x3xbf16>, tensor<1792x4xbf16>, tensor<?x24x64x128xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>, tensor<?x1792x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>, tensor<?x1792x3xbf16>
}

// mamba2-2.7b with a bf16 state: H = 80, N = 128: 8 lanes of 16 values (2
// vectors each).
// OVR-LABEL: func.func @mamba2_2_7b_bf16_state
// OVR: tile = #mamba.tile<lanes_per_row = 8, warps = 8>
func.func @mamba2_2_7b_bf16_state(%x: tensor<?x5376xbf16>, %cs: tensor<?x5376x3xbf16>, %w: tensor<5376x4xbf16>, %s: tensor<?x80x64x128xbf16>, %dt: tensor<?x80xbf16>, %A: tensor<80xf32>) -> (tensor<?x80x64xbf16>, tensor<?x80x64x128xbf16>, tensor<?x5376x3xbf16>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 5120 : i64, c_offset = 5248 : i64, ngroups = 1 : i64} : (tensor<?x5376xbf16>, tensor<?x5376x3xbf16>, tensor<5376x4xbf16>, tensor<?x80x64x128xbf16>, tensor<?x80xbf16>, tensor<80xf32>) -> (tensor<?x80x64xbf16>, tensor<?x80x64x128xbf16>, tensor<?x5376x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x80x64xbf16>, tensor<?x80x64x128xbf16>, tensor<?x5376x3xbf16>
}

// The demo model: H = 12, P = 64, N = 64, f32 state: 16 vectors, 4 lanes.
// OVR-LABEL: func.func @demo
// OVR: tile = #mamba.tile<lanes_per_row = 4, warps = 8>
func.func @demo(%x: tensor<?x896xbf16>, %cs: tensor<?x896x3xbf16>, %w: tensor<896x4xbf16>, %s: tensor<?x12x64x64xf32>, %dt: tensor<?x12xbf16>, %A: tensor<12xf32>) -> (tensor<?x12x64xbf16>, tensor<?x12x64x64xf32>, tensor<?x896x3xbf16>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 768 : i64, c_offset = 832 : i64, ngroups = 1 : i64} : (tensor<?x896xbf16>, tensor<?x896x3xbf16>, tensor<896x4xbf16>, tensor<?x12x64x64xf32>, tensor<?x12xbf16>, tensor<12xf32>) -> (tensor<?x12x64xbf16>, tensor<?x12x64x64xf32>, tensor<?x896x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x12x64xbf16>, tensor<?x12x64x64xf32>, tensor<?x896x3xbf16>
}

// N = 16, f32 state, 2 groups: 4 vectors, 4 lanes of one.
// OVR-LABEL: func.func @d_state_16
// OVR: tile = #mamba.tile<lanes_per_row = 4, warps = 8>
func.func @d_state_16(%x: tensor<?x192xf32>, %cs: tensor<?x192x3xf32>, %w: tensor<192x4xf32>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xf32>, %A: tensor<4xf32>) -> (tensor<?x4x32xf32>, tensor<?x4x32x16xf32>, tensor<?x192x3xf32>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xf32>, tensor<?x192x3xf32>, tensor<192x4xf32>, tensor<?x4x32x16xf32>, tensor<?x4xf32>, tensor<4xf32>) -> (tensor<?x4x32xf32>, tensor<?x4x32x16xf32>, tensor<?x192x3xf32>)
  return %y, %s1, %cs1 : tensor<?x4x32xf32>, tensor<?x4x32x16xf32>, tensor<?x192x3xf32>
}

// N = 256, f16: 16 lanes of 16 values; 8 groups.
// OVR-LABEL: func.func @d_state_256
// OVR: tile = #mamba.tile<lanes_per_row = 16, warps = 8>
func.func @d_state_256(%x: tensor<?x4352xf16>, %cs: tensor<?x4352x3xf16>, %w: tensor<4352x4xf16>, %s: tensor<?x8x32x256xf32>, %dt: tensor<?x8xf16>, %A: tensor<8xf32>) -> (tensor<?x8x32xf16>, tensor<?x8x32x256xf32>, tensor<?x4352x3xf16>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 256 : i64, c_offset = 2304 : i64, ngroups = 8 : i64} : (tensor<?x4352xf16>, tensor<?x4352x3xf16>, tensor<4352x4xf16>, tensor<?x8x32x256xf32>, tensor<?x8xf16>, tensor<8xf32>) -> (tensor<?x8x32xf16>, tensor<?x8x32x256xf32>, tensor<?x4352x3xf16>)
  return %y, %s1, %cs1 : tensor<?x8x32xf16>, tensor<?x8x32x256xf32>, tensor<?x4352x3xf16>
}

// N = 8 with a bf16 state: one vector, one lane per row.
// OVR-LABEL: func.func @d_state_8_bf16_state
// OVR: tile = #mamba.tile<lanes_per_row = 1, warps = 8>
func.func @d_state_8_bf16_state(%x: tensor<?x144xbf16>, %cs: tensor<?x144x3xbf16>, %w: tensor<144x4xbf16>, %s: tensor<?x4x32x8xbf16>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x8xbf16>, tensor<?x144x3xbf16>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 136 : i64, ngroups = 1 : i64} : (tensor<?x144xbf16>, tensor<?x144x3xbf16>, tensor<144x4xbf16>, tensor<?x4x32x8xbf16>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x8xbf16>, tensor<?x144x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x4x32xbf16>, tensor<?x4x32x8xbf16>, tensor<?x144x3xbf16>
}

// N = 24, f32 state: 6 vectors; 4 lanes (the power of two below 6) hold 6
// values each.
// OVR-LABEL: func.func @d_state_24
// OVR: tile = #mamba.tile<lanes_per_row = 4, warps = 8>
func.func @d_state_24(%x: tensor<?x176xbf16>, %cs: tensor<?x176x3xbf16>, %w: tensor<176x4xbf16>, %s: tensor<?x4x32x24xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x24xf32>, tensor<?x176x3xbf16>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 152 : i64, ngroups = 1 : i64} : (tensor<?x176xbf16>, tensor<?x176x3xbf16>, tensor<176x4xbf16>, tensor<?x4x32x24xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x24xf32>, tensor<?x176x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x4x32xbf16>, tensor<?x4x32x24xf32>, tensor<?x176x3xbf16>
}

// An existing tile is kept as written; the option overrides what it names.
// OVR-LABEL: func.func @existing_tile_kept
// OVR: tile = #mamba.tile<lanes_per_row = 8, warps = 8>
func.func @existing_tile_kept(%x: tensor<?x1792xbf16>, %cs: tensor<?x1792x3xbf16>, %w: tensor<1792x4xbf16>, %s: tensor<?x24x64x128xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>, tensor<?x1792x3xbf16>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1664 : i64, ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 8, warps = 2>} : (tensor<?x1792xbf16>, tensor<?x1792x3xbf16>, tensor<1792x4xbf16>, tensor<?x24x64x128xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>, tensor<?x1792x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>, tensor<?x1792x3xbf16>
}

// Other kernel ops are left to their own tile pass.
func.func @other_ops_untouched(%s: tensor<?x24x64x128xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>
}
