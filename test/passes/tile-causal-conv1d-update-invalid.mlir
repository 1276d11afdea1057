// RUN: split-file %s %t
// RUN: mamba-opt %t/tile.mlir --split-input-file --verify-diagnostics --mamba-tile-causal-conv1d-update
// RUN: mamba-opt %t/unknown.mlir --verify-diagnostics --mamba-tile-causal-conv1d-update="tile=warps=4"
// RUN: mamba-opt %t/not-integer.mlir --verify-diagnostics --mamba-tile-causal-conv1d-update="tile=threads=1e3"
// RUN: mamba-opt %t/override-range.mlir --verify-diagnostics --mamba-tile-causal-conv1d-update="tile=threads=16"

// Every diagnostic of mamba-tile-causal-conv1d-update: the verifyTile rules
// of passes/TileCausalConv1dUpdate.cpp on a given tile (tile.mlir), and the
// parse of the `tile` override option (one file per option value).

//--- tile.mlir

func.func @dynamic_channels(%x: tensor<?x?xbf16>, %s: tensor<?x?x4xbf16>, %w: tensor<?x4xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x4xbf16>) {
  // expected-error @+1 {{'mamba.causal_conv1d_update' op needs a static channel count D for tiling, got '?'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x?xbf16>, tensor<?x?x4xbf16>, tensor<?x4xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x4xbf16>)
  return %y, %s1 : tensor<?x?xbf16>, tensor<?x?x4xbf16>
}

// -----

func.func @dynamic_state_len(%x: tensor<?x64xbf16>, %s: tensor<?x64x?xbf16>, %w: tensor<64x4xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x?xbf16>) {
  // expected-error @+1 {{'mamba.causal_conv1d_update' op needs a static conv state length K for tiling, got '?'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x64xbf16>, tensor<?x64x?xbf16>, tensor<64x4xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x?xbf16>)
  return %y, %s1 : tensor<?x64xbf16>, tensor<?x64x?xbf16>
}

// -----

// A given tile does not make a dynamic state length acceptable.
func.func @dynamic_state_len_given_tile(%x: tensor<?x64xbf16>, %s: tensor<?x64x?xbf16>, %w: tensor<64x4xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x?xbf16>) {
  // expected-error @+1 {{needs a static conv state length K for tiling, got '?'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<threads = 128>} : (tensor<?x64xbf16>, tensor<?x64x?xbf16>, tensor<64x4xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x?xbf16>)
  return %y, %s1 : tensor<?x64xbf16>, tensor<?x64x?xbf16>
}

// -----

func.func @unknown_parameter(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  // expected-error @+1 {{tile has unknown parameter 'items' (expected: threads)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<threads = 128, items = 4>} : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

// -----

func.func @missing_parameter(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  // expected-error @+1 {{tile lacks parameter 'threads'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<>} : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

// -----

func.func @threads_not_warp_multiple(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  // expected-error @+1 {{'mamba.causal_conv1d_update' op tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 100}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<threads = 100>} : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

// -----

func.func @threads_zero(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  // expected-error @+1 {{tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 0}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<threads = 0>} : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

// -----

func.func @threads_too_many(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  // expected-error @+1 {{tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 2048}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<threads = 2048>} : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

//--- unknown.mlir

func.func @override_unknown(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  // expected-error @+1 {{unknown tile parameter 'warps' for mamba.causal_conv1d_update (parameters: threads)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

//--- not-integer.mlir

func.func @override_not_integer(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  // expected-error @+1 {{malformed tile override entry 'threads=1e3': expected name=integer}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

//--- override-range.mlir

func.func @override_out_of_range(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  // expected-error @+1 {{tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 16}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}
