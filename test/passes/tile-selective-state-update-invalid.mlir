// RUN: split-file %s %t
// RUN: mamba-opt %t/tile.mlir --split-input-file --verify-diagnostics --mamba-tile-selective-state-update
// RUN: mamba-opt %t/unknown.mlir --verify-diagnostics --mamba-tile-selective-state-update="tile=rows=8"
// RUN: mamba-opt %t/no-value.mlir --verify-diagnostics --mamba-tile-selective-state-update="tile=warps=4,lanes_per_row="
// RUN: mamba-opt %t/override-rule.mlir --verify-diagnostics --mamba-tile-selective-state-update="tile=lanes_per_row=32"

// Every diagnostic of mamba-tile-selective-state-update: the verifyTile
// rules of passes/TileSelectiveStateUpdate.cpp on a given tile (tile.mlir),
// and the parse of the `tile` override option (one file per option value).
// The head form's verifier already requires a static headdim.

//--- tile.mlir

func.func @dynamic_channels(%s: tensor<?x?x16xf32>, %x: tensor<?x?xbf16>, %A: tensor<?x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x16xf32>) {
  // expected-error @+1 {{'mamba.selective_state_update' op needs a static channel count D for tiling, got '?'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %BC, %BC : (tensor<?x?x16xf32>, tensor<?x?xbf16>, tensor<?x?xbf16>, tensor<?x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x16xf32>)
  return %y, %s1 : tensor<?x?xbf16>, tensor<?x?x16xf32>
}

// -----

// A given tile does not make a dynamic channel count acceptable.
func.func @dynamic_channels_given_tile(%s: tensor<?x?x16xf32>, %x: tensor<?x?xbf16>, %A: tensor<?x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x16xf32>) {
  // expected-error @+1 {{needs a static channel count D for tiling, got '?'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 4, warps = 4>} : (tensor<?x?x16xf32>, tensor<?x?xbf16>, tensor<?x?xbf16>, tensor<?x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x16xf32>)
  return %y, %s1 : tensor<?x?xbf16>, tensor<?x?x16xf32>
}

// -----

func.func @unknown_parameter(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{tile has unknown parameter 'rows' (expected: lanes_per_row, warps)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 4, warps = 4, rows = 32>} : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

// -----

func.func @missing_parameter(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{tile lacks parameter 'lanes_per_row'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<warps = 4>} : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

// -----

func.func @lanes_not_pow2(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{'mamba.selective_state_update' op tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 3}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 3, warps = 4>} : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

// -----

func.func @lanes_too_many(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 64}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 64, warps = 4>} : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

// -----

// 32 lanes cannot share a row of 16 states.
func.func @lanes_above_d_state(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 32}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 32, warps = 4>} : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

// -----

func.func @warps_zero(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 0}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 4, warps = 0>} : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

// -----

func.func @warps_too_many(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 33}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 4, warps = 33>} : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

//--- unknown.mlir

func.func @override_unknown(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{unknown tile parameter 'rows' for mamba.selective_state_update (parameters: lanes_per_row, warps)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

//--- no-value.mlir

func.func @override_without_value(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{malformed tile override entry 'lanes_per_row=': expected name=integer}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

//--- override-rule.mlir

// d_state 16 has no room for 32 lanes.
func.func @override_breaks_rule(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 32}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}
