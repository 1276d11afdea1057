// RUN: split-file %s %t
// RUN: mamba-opt %t/tile.mlir --split-input-file --verify-diagnostics --mamba-tile-causal-conv1d
// RUN: mamba-opt %t/unknown.mlir --verify-diagnostics --mamba-tile-causal-conv1d="tile=threads=64,width=4"
// RUN: mamba-opt %t/no-value.mlir --verify-diagnostics --mamba-tile-causal-conv1d="tile=threads=64,l_tile"
// RUN: mamba-opt %t/override-rule.mlir --verify-diagnostics --mamba-tile-causal-conv1d="tile=l_tile=8"

// Every diagnostic of mamba-tile-causal-conv1d: the verifyTile rules of
// passes/TileCausalConv1d.cpp on a given tile (tile.mlir), and the parse of
// the `tile` override option (one file per option value).

//--- tile.mlir

func.func @dynamic_channels(%x: tensor<?x?x?xbf16>, %w: tensor<?x4xbf16>) -> tensor<?x?x?xbf16> {
  // expected-error @+1 {{'mamba.causal_conv1d' op needs a static channel count D for tiling, got '?'}}
  %y = mamba.causal_conv1d %x, %w : (tensor<?x?x?xbf16>, tensor<?x4xbf16>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}

// -----

// A given tile does not make a dynamic channel count acceptable.
func.func @dynamic_channels_given_tile(%x: tensor<?x?x?xbf16>, %w: tensor<?x4xbf16>) -> tensor<?x?x?xbf16> {
  // expected-error @+1 {{needs a static channel count D for tiling, got '?'}}
  %y = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_last>, tile = #mamba.tile<l_tile = 64, c_tile = 64, threads = 128>} : (tensor<?x?x?xbf16>, tensor<?x4xbf16>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}

// -----

func.func @unknown_parameter(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile has unknown parameter 'warps' (expected: l_tile, c_tile, threads)}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 256, c_tile = 4, threads = 128, warps = 4>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

func.func @missing_parameter(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile lacks parameter 'c_tile'}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 256, threads = 128>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

func.func @l_tile_not_pow2(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.causal_conv1d' op tile parameter 'l_tile' must be a power of two <= 1024, got 100}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 100, c_tile = 4, threads = 32>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

func.func @l_tile_too_large(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile parameter 'l_tile' must be a power of two <= 1024, got 2048}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 2048, c_tile = 4, threads = 128>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

func.func @c_tile_not_pow2(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile parameter 'c_tile' must be a power of two <= 256, got 3}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 256, c_tile = 3, threads = 128>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

func.func @c_tile_too_large(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile parameter 'c_tile' must be a power of two <= 256, got 512}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 4, c_tile = 512, threads = 128>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

func.func @threads_not_warp_multiple(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 48}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 256, c_tile = 4, threads = 48>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

func.func @threads_too_many(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 2048}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 1024, c_tile = 4, threads = 2048>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

// 16 x 4 outputs for 128 threads: threads would share an output.
func.func @outputs_per_thread(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile's l_tile * c_tile must be a multiple of threads (each thread computes whole outputs)}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 16, c_tile = 4, threads = 128>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

//--- unknown.mlir

func.func @override_unknown(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{unknown tile parameter 'width' for mamba.causal_conv1d (parameters: l_tile, c_tile, threads)}}
  %y = mamba.causal_conv1d %x, %w : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

//--- no-value.mlir

func.func @override_without_value(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{malformed tile override entry 'l_tile': expected name=integer}}
  %y = mamba.causal_conv1d %x, %w : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

//--- override-rule.mlir

// 8 positions x 4 channels cannot feed the heuristic's 128 threads.
func.func @override_breaks_rule(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile's l_tile * c_tile must be a multiple of threads}}
  %y = mamba.causal_conv1d %x, %w : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
