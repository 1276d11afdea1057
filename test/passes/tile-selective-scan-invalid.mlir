// RUN: split-file %s %t
// RUN: mamba-opt %t/tile.mlir --split-input-file --verify-diagnostics --mamba-tile-selective-scan
// RUN: mamba-opt %t/unknown.mlir --verify-diagnostics --mamba-tile-selective-scan="tile=warps=2,bogus=1"
// RUN: mamba-opt %t/no-value.mlir --verify-diagnostics --mamba-tile-selective-scan="tile=warps"
// RUN: mamba-opt %t/not-integer.mlir --verify-diagnostics --mamba-tile-selective-scan="tile=items=eight"
// RUN: mamba-opt %t/no-name.mlir --verify-diagnostics --mamba-tile-selective-scan="tile==4"
// RUN: mamba-opt %t/override-range.mlir --verify-diagnostics --mamba-tile-selective-scan="tile=warps=64"
// RUN: mamba-opt %t/override-items.mlir --verify-diagnostics --mamba-tile-selective-scan="tile=items=4"
// RUN: mamba-opt %t/unknown-arch.mlir --verify-diagnostics --mamba-tile-selective-scan="arch=sm_75"
// RUN: mamba-opt %t/malformed-arch.mlir --verify-diagnostics --mamba-tile-selective-scan="arch=ampere"

// Every diagnostic of mamba-tile-selective-scan: the verifyTile rules of
// passes/TileSelectiveScan.cpp on a given tile (tile.mlir), the parse of
// the `tile` override option (one file per option value), and the `arch`
// option. `items` must be a whole number of 16-byte vectors: 4 is below the
// width of 16-bit activations (8) and is refused for them.

//--- tile.mlir

func.func @dynamic_channels(%u: tensor<?x?x?xf32>, %A: tensor<?x16xf32>) -> tensor<?x?x?xf32> {
  // expected-error @+1 {{'mamba.selective_scan' op needs a static channel count D for tiling, got '?'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}

// -----

// A given tile does not make a dynamic channel count acceptable.
func.func @dynamic_channels_given_tile(%u: tensor<?x?x?xf32>, %A: tensor<?x16xf32>) -> tensor<?x?x?xf32> {
  // expected-error @+1 {{needs a static channel count D for tiling, got '?'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}

// -----

func.func @unknown_parameter(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile has unknown parameter 'threads' (expected: warps, channels_per_warp, items, n_tile)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16, threads = 128>} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

// -----

func.func @missing_parameter(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile lacks parameter 'n_tile'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8>} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

// -----

func.func @warps_zero(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 0}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 0, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

// -----

func.func @warps_too_many(%u: tensor<2x4096x?xf32>, %A: tensor<4096x16xf32>) -> tensor<2x4096x?xf32> {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 64}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 64, channels_per_warp = 1, items = 8, n_tile = 16>} : (tensor<2x4096x?xf32>, tensor<2x4096x?xf32>, tensor<4096x16xf32>, tensor<4096x16xf32>, tensor<4096x16xf32>) -> tensor<2x4096x?xf32>
  return %y : tensor<2x4096x?xf32>
}

// -----

func.func @channels_per_warp_3(%u: tensor<2x96x?xf32>, %A: tensor<96x16xf32>) -> tensor<2x96x?xf32> {
  // expected-error @+1 {{tile parameter 'channels_per_warp' must be 1, 2 or 4, got 3}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 3, items = 8, n_tile = 16>} : (tensor<2x96x?xf32>, tensor<2x96x?xf32>, tensor<96x16xf32>, tensor<96x16xf32>, tensor<96x16xf32>) -> tensor<2x96x?xf32>
  return %y : tensor<2x96x?xf32>
}

// -----

func.func @items_12(%u: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16> {
  // expected-error @+1 {{tile parameter 'items' must be 4, 8 or 16, and a multiple of the 16-byte vector width, got 12}}
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 12, n_tile = 16>} : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

// -----

// bf16 loads 8 items per 16-byte vector: 4 is half a vector.
func.func @items_4_bf16(%u: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16> {
  // expected-error @+1 {{tile parameter 'items' must be 4, 8 or 16, and a multiple of the 16-byte vector width, got 4}}
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 4, n_tile = 8>} : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

// -----

// The same for f16, with constant B and C.
func.func @items_4_f16(%u: tensor<2x64x?xf16>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf16> {
  // expected-error @+1 {{tile parameter 'items' must be 4, 8 or 16, and a multiple of the 16-byte vector width, got 4}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 4, n_tile = 8>} : (tensor<2x64x?xf16>, tensor<2x64x?xf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf16>
  return %y : tensor<2x64x?xf16>
}

// -----

func.func @items_32(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile parameter 'items' must be 4, 8 or 16, and a multiple of the 16-byte vector width, got 32}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 32, n_tile = 16>} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

// -----

func.func @n_tile_not_divisor(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile parameter 'n_tile' must be a divisor of d_state no larger than 64, got 12}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 12>} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

// -----

func.func @n_tile_too_large(%u: tensor<2x64x?xf32>, %A: tensor<64x128xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile parameter 'n_tile' must be a divisor of d_state no larger than 64, got 128}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 128>} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

// -----

// 384 groups of B: 4 channels per group, a block of 4 x 2 channels would
// read two groups.
func.func @block_spans_groups(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x384x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile covers 8 channels per block, which must divide the channels of a group of B/C (4)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x384x16x?xbf16>, tensor<?x384x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

// Without groups the block must still divide D.
func.func @block_does_not_divide_channels(%u: tensor<1x100x?xf32>, %A: tensor<100x16xf32>) -> tensor<1x100x?xf32> {
  // expected-error @+1 {{tile covers 8 channels per block, which must divide the channels of a group of B/C (100)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<1x100x?xf32>, tensor<1x100x?xf32>, tensor<100x16xf32>, tensor<100x16xf32>, tensor<100x16xf32>) -> tensor<1x100x?xf32>
  return %y : tensor<1x100x?xf32>
}

// -----

// The state-parallel variant: steps must be a multiple of the lanes per
// channel (16 at N = 16).
func.func @by_state_steps(%u: tensor<1x128x?xf32>, %A: tensor<128x16xf32>) -> tensor<1x128x?xf32> {
  // expected-error @+1 {{tile parameter 'steps' must be in [4, 256], a multiple of 4 and of the 16 lanes per channel, got 24}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, steps = 24>} : (tensor<1x128x?xf32>, tensor<1x128x?xf32>, tensor<128x16xf32>, tensor<128x16xf32>, tensor<128x16xf32>) -> tensor<1x128x?xf32>
  return %y : tensor<1x128x?xf32>
}

// -----

// d_state 24 neither divides 32 nor is a multiple of it.
func.func @by_state_d_state(%u: tensor<1x128x?xf32>, %A: tensor<128x24xf32>) -> tensor<1x128x?xf32> {
  // expected-error @+1 {{the state-parallel tile {warps, steps} needs a d_state that divides 32 or is a multiple of 32, got 24}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, steps = 64>} : (tensor<1x128x?xf32>, tensor<1x128x?xf32>, tensor<128x24xf32>, tensor<128x24xf32>, tensor<128x24xf32>) -> tensor<1x128x?xf32>
  return %y : tensor<1x128x?xf32>
}

// -----

// 4 warps of 2 channels (N = 16) are 8 channels, more than a group of 4.
func.func @by_state_groups(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x384x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile covers 8 channels per block, which must divide the channels of a group of B/C (4)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 4, steps = 64>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x384x16x?xbf16>, tensor<?x384x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

// Parameters of both variants at once.
func.func @by_state_mixed(%u: tensor<1x128x?xf32>, %A: tensor<128x16xf32>) -> tensor<1x128x?xf32> {
  // expected-error @+1 {{tile has unknown parameter 'items' (expected: warps, steps)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, steps = 64, items = 8>} : (tensor<1x128x?xf32>, tensor<1x128x?xf32>, tensor<128x16xf32>, tensor<128x16xf32>, tensor<128x16xf32>) -> tensor<1x128x?xf32>
  return %y : tensor<1x128x?xf32>
}

//--- unknown.mlir

func.func @override_unknown(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{unknown tile parameter 'bogus' for mamba.selective_scan (parameters: warps, channels_per_warp, items, n_tile)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- no-value.mlir

func.func @override_without_value(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{malformed tile override entry 'warps': expected name=integer}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- not-integer.mlir

func.func @override_not_integer(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{malformed tile override entry 'items=eight': expected name=integer}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- no-name.mlir

func.func @override_without_name(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{malformed tile override entry '=4': expected name=integer}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- override-range.mlir

// An override is verified like a written tile.
func.func @override_out_of_range(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 64}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- override-items.mlir

// items = 4 is one 16-byte vector of f32 and is accepted; for bf16 the
// override is refused like a written tile.
func.func @override_items_4_f32(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

func.func @override_items_4_bf16(%u: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16> {
  // expected-error @+1 {{tile parameter 'items' must be 4, 8 or 16, and a multiple of the 16-byte vector width, got 4}}
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

//--- unknown-arch.mlir

// The heuristic needs a known target.
// expected-error @+1 {{unknown target arch 'sm_75' (supported: sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a)}}
module {
  func.func @any(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
    %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
    return %y : tensor<?x1536x?xbf16>
  }
}

//--- malformed-arch.mlir

// expected-error @+1 {{unknown target arch 'ampere' (supported: sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a)}}
module {
  func.func @any(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
    %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
    return %y : tensor<?x1536x?xbf16>
  }
}
