// RUN: split-file %s %t
// RUN: mamba-opt %t/tile.mlir --split-input-file --verify-diagnostics --mamba-tile-conv-state-update
// RUN: mamba-opt %t/unknown.mlir --verify-diagnostics --mamba-tile-conv-state-update="tile=rows=8"
// RUN: mamba-opt %t/no-value.mlir --verify-diagnostics --mamba-tile-conv-state-update="tile=warps=4,lanes_per_row="
// RUN: mamba-opt %t/override-rule.mlir --verify-diagnostics --mamba-tile-conv-state-update="tile=lanes_per_row=32"

// Every diagnostic of mamba-tile-conv-state-update: the verifyTile rules of
// passes/TileConvStateUpdate.cpp on a given tile (tile.mlir), and the parse
// of the `tile` override option (one file per option value). The op's
// verifier already requires a static Dc, headdim and d_state. H = 24,
// P = 64, N = 16, one group: Dc = 1568.

//--- tile.mlir

func.func @unknown_parameter(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile has unknown parameter 'rows' (expected: lanes_per_row, warps)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 4, warps = 4, rows = 32>} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

// -----

func.func @missing_parameter(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile lacks parameter 'lanes_per_row'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64, tile = #mamba.tile<warps = 4>} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

// -----

func.func @lanes_not_pow2(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{'mamba.conv_state_update' op tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 3}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 3, warps = 4>} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

// -----

func.func @lanes_too_many(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 64}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 64, warps = 4>} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

// -----

// 32 lanes cannot share a row of 16 states.
func.func @lanes_above_d_state(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 32}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 32, warps = 4>} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

// -----

func.func @lanes_zero(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 0}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 0, warps = 4>} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

// -----

func.func @warps_zero(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 0}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 4, warps = 0>} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

// -----

func.func @warps_too_many(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 33}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 4, warps = 33>} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

//--- unknown.mlir

func.func @override_unknown(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{unknown tile parameter 'rows' for mamba.conv_state_update (parameters: lanes_per_row, warps)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

//--- no-value.mlir

func.func @override_without_value(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{malformed tile override entry 'lanes_per_row=': expected name=integer}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

//--- override-rule.mlir

// d_state 16 has no room for 32 lanes.
func.func @override_breaks_rule(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 32}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}
