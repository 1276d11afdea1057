// The heuristic of mamba-tile-selective-state-update
// (passes/TileSelectiveStateUpdate.cpp): lanes_per_row = N / 16 (16 state
// values a lane), at least min(4, the 16-byte vectors of a state row), at
// most 32, rounded down to a power of two that divides N; 4 warps. An existing tile is
// kept; the `tile` option replaces the parameters it names (OVR).

// mamba-130m decode (Mamba-1 form): D = 1536, N = 16, f32 state: 64 bytes,
// 4 lanes.
// OVR-LABEL: func.func @mamba_130m
// OVR: tile = #mamba.tile<lanes_per_row = 4, warps = 8>
func.func @mamba_130m(%s: tensor<?x1536x16xf32>, %x: tensor<?x1536xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %BC, %BC : (tensor<?x1536x16xf32>, tensor<?x1536xbf16>, tensor<?x1536xbf16>, tensor<1536x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x16xf32>
}

// mamba-2.8b decode: D = 5120, f32 activations, 2 groups.
// OVR-LABEL: func.func @mamba_2_8b_f32
// OVR: tile = #mamba.tile<lanes_per_row = 4, warps = 8>
func.func @mamba_2_8b_f32(%s: tensor<?x5120x16xf32>, %x: tensor<?x5120xf32>, %A: tensor<5120x16xf32>, %BC: tensor<?x2x16xf32>) -> (tensor<?x5120xf32>, tensor<?x5120x16xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %BC, %BC : (tensor<?x5120x16xf32>, tensor<?x5120xf32>, tensor<?x5120xf32>, tensor<5120x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>) -> (tensor<?x5120xf32>, tensor<?x5120x16xf32>)
  return %y, %s1 : tensor<?x5120xf32>, tensor<?x5120x16xf32>
}

// mamba2-130m decode (head form): H = 24, P = 64, N = 128, f32 state: 8
// lanes of 16 values (4 vectors each).
// OVR-LABEL: func.func @mamba2_130m
// OVR: tile = #mamba.tile<lanes_per_row = 8, warps = 8>
func.func @mamba2_130m(%s: tensor<?x24x64x128xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x128xbf16>, %D: tensor<24xf32>, %db: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC D(%D) dt_bias(%db) {dt_softplus} : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>, tensor<24xf32>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>
}

// mamba2-2.7b decode, H = 80, with a bf16 state: 8 lanes of 16 values (2
// vectors each), and a state pool (state_indices).
// OVR-LABEL: func.func @mamba2_2_7b_bf16_state
// OVR: tile = #mamba.tile<lanes_per_row = 8, warps = 8>
func.func @mamba2_2_7b_bf16_state(%s: tensor<32x80x64x128xbf16>, %x: tensor<?x80x64xbf16>, %dt: tensor<?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<?x1x128xbf16>, %idx: tensor<?xi32>) -> (tensor<?x80x64xbf16>, tensor<32x80x64x128xbf16>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC state_indices(%idx) : (tensor<32x80x64x128xbf16>, tensor<?x80x64xbf16>, tensor<?x80xbf16>, tensor<80xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>, tensor<?xi32>) -> (tensor<?x80x64xbf16>, tensor<32x80x64x128xbf16>)
  return %y, %s1 : tensor<?x80x64xbf16>, tensor<32x80x64x128xbf16>
}

// N = 256, f32 state: 16 lanes of 16 values; 8 groups.
// OVR-LABEL: func.func @d_state_256
// OVR: tile = #mamba.tile<lanes_per_row = 16, warps = 8>
func.func @d_state_256(%s: tensor<2x8x64x256xf32>, %x: tensor<2x8x64xf16>, %dt: tensor<2x8xf16>, %A: tensor<8xf32>, %BC: tensor<2x8x256xf16>) -> (tensor<2x8x64xf16>, tensor<2x8x64x256xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<2x8x64x256xf32>, tensor<2x8x64xf16>, tensor<2x8xf16>, tensor<8xf32>, tensor<2x8x256xf16>, tensor<2x8x256xf16>) -> (tensor<2x8x64xf16>, tensor<2x8x64x256xf32>)
  return %y, %s1 : tensor<2x8x64xf16>, tensor<2x8x64x256xf32>
}

// N = 8 with a bf16 state: one vector, one lane per row.
// OVR-LABEL: func.func @d_state_8_bf16_state
// OVR: tile = #mamba.tile<lanes_per_row = 1, warps = 8>
func.func @d_state_8_bf16_state(%s: tensor<?x4x32x8xbf16>, %x: tensor<?x4x32xbf16>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %BC: tensor<?x1x8xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x8xbf16>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x4x32x8xbf16>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x1x8xbf16>, tensor<?x1x8xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x8xbf16>)
  return %y, %s1 : tensor<?x4x32xbf16>, tensor<?x4x32x8xbf16>
}

// N = 24, f32 state: 6 vectors; 4 lanes (the power of two below 6) hold 6
// values each.
// OVR-LABEL: func.func @d_state_24
// OVR: tile = #mamba.tile<lanes_per_row = 4, warps = 8>
func.func @d_state_24(%s: tensor<?x1536x24xf32>, %x: tensor<?x1536xbf16>, %A: tensor<1536x24xf32>, %BC: tensor<?x1x24xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x24xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %BC, %BC : (tensor<?x1536x24xf32>, tensor<?x1536xbf16>, tensor<?x1536xbf16>, tensor<1536x24xf32>, tensor<?x1x24xbf16>, tensor<?x1x24xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x24xf32>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x24xf32>
}

// N = 24, bf16 state: 3 vectors; 2 lanes.
// OVR-LABEL: func.func @d_state_24_bf16_state
// OVR: tile = #mamba.tile<lanes_per_row = 2, warps = 8>
func.func @d_state_24_bf16_state(%s: tensor<?x1536x24xbf16>, %x: tensor<?x1536xbf16>, %A: tensor<1536x24xf32>, %BC: tensor<?x1x24xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x24xbf16>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %BC, %BC : (tensor<?x1536x24xbf16>, tensor<?x1536xbf16>, tensor<?x1536xbf16>, tensor<1536x24xf32>, tensor<?x1x24xbf16>, tensor<?x1x24xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x24xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x24xbf16>
}

// The channel count comes from x when the state's is dynamic.
// OVR-LABEL: func.func @channels_from_x
// OVR: tile = #mamba.tile<lanes_per_row = 4, warps = 8>
func.func @channels_from_x(%s: tensor<?x?x16xf32>, %x: tensor<?x768xbf16>, %A: tensor<?x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x768xbf16>, tensor<?x?x16xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %BC, %BC : (tensor<?x?x16xf32>, tensor<?x768xbf16>, tensor<?x768xbf16>, tensor<?x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x768xbf16>, tensor<?x?x16xf32>)
  return %y, %s1 : tensor<?x768xbf16>, tensor<?x?x16xf32>
}

// An existing tile is kept as written; the option overrides what it names.
// OVR-LABEL: func.func @existing_tile_kept
// OVR: tile = #mamba.tile<lanes_per_row = 8, warps = 8>
func.func @existing_tile_kept(%s: tensor<?x24x64x128xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 8, warps = 2>} : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>
}

// Other kernel ops are left to their own tile pass.
func.func @other_ops_untouched(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}
