// RUN: split-file %s %t
// RUN: mamba-opt %t/tile.mlir --split-input-file --verify-diagnostics --mamba-tile-elementwise
// RUN: mamba-opt %t/unknown.mlir --verify-diagnostics --mamba-tile-elementwise="tile=warps=8"
// RUN: mamba-opt %t/malformed.mlir --verify-diagnostics --mamba-tile-elementwise="tile=threads=128,,items=x"
// RUN: mamba-opt %t/override-range.mlir --verify-diagnostics --mamba-tile-elementwise="tile=items=16"

// Every diagnostic of mamba-tile-elementwise: the verifyTile rules of
// passes/TileElementwise.cpp on a given tile (tile.mlir), and the parse of
// the `tile` override option (one file per option value).

//--- tile.mlir

func.func @dynamic_embedding_width(%ids: tensor<?x?xi32>, %table: tensor<50280x?xbf16>) -> tensor<?x?x?xbf16> {
  // expected-error @+1 {{'mamba.embedding' op needs a static embedding width for tiling, got '?'}}
  %y = mamba.embedding %ids, %table : (tensor<?x?xi32>, tensor<50280x?xbf16>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}

// -----

// A given tile does not make a dynamic width acceptable.
func.func @dynamic_embedding_width_given_tile(%ids: tensor<?x?xi32>, %table: tensor<50280x?xbf16>) -> tensor<?x?x?xbf16> {
  // expected-error @+1 {{'mamba.embedding' op needs a static embedding width for tiling, got '?'}}
  %y = mamba.embedding %ids, %table {tile = #mamba.tile<threads = 128, items = 8>} : (tensor<?x?xi32>, tensor<50280x?xbf16>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}

// -----

func.func @dynamic_channel_vector(%x: tensor<?x?x?xbf16>, %w: tensor<?xf32>) -> tensor<?x?x?xbf16> {
  // expected-error @+1 {{'mamba.channel_mul' op needs a static channel vector length for tiling, got '?'}}
  %y = mamba.channel_mul %x, %w {dim = 1 : i64} : (tensor<?x?x?xbf16>, tensor<?xf32>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}

// -----

// A given tile does not make a dynamic vector acceptable.
func.func @dynamic_channel_vector_given_tile(%x: tensor<?x?x24x?xbf16>, %w: tensor<24x?xf32>) -> tensor<?x?x24x?xbf16> {
  // expected-error @+1 {{'mamba.channel_add' op needs a static channel vector length for tiling, got '?'}}
  %y = mamba.channel_add %x, %w {dim = 2 : i64, tile = #mamba.tile<threads = 256, items = 8>} : (tensor<?x?x24x?xbf16>, tensor<24x?xf32>) -> tensor<?x?x24x?xbf16>
  return %y : tensor<?x?x24x?xbf16>
}

// -----

func.func @unknown_parameter(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile has unknown parameter 'warps' (expected: threads, items)}}
  %y = mamba.silu %x {tile = #mamba.tile<threads = 256, items = 8, warps = 8>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

func.func @missing_parameter(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile lacks parameter 'threads'}}
  %y = mamba.silu %x {tile = #mamba.tile<items = 8>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

func.func @threads_not_warp_multiple(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 16}}
  %y = mamba.silu %x {tile = #mamba.tile<threads = 16, items = 8>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

func.func @threads_too_many(%x: tensor<?x768xbf16>, %w: tensor<768xf32>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.channel_mul' op tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 1056}}
  %y = mamba.channel_mul %x, %w {dim = 1 : i64, tile = #mamba.tile<threads = 1056, items = 8>} : (tensor<?x768xbf16>, tensor<768xf32>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

func.func @items_3(%x: tensor<?x24xf32>) -> tensor<?x24xf32> {
  // expected-error @+1 {{'mamba.softplus' op tile parameter 'items' must be 1, 2, 4 or 8, got 3}}
  %y = mamba.softplus %x {tile = #mamba.tile<threads = 256, items = 3>} : tensor<?x24xf32>
  return %y : tensor<?x24xf32>
}

// -----

func.func @items_16(%ids: tensor<?xi32>, %table: tensor<100x64xf16>) -> tensor<?x64xf16> {
  // expected-error @+1 {{'mamba.embedding' op tile parameter 'items' must be 1, 2, 4 or 8, got 16}}
  %y = mamba.embedding %ids, %table {tile = #mamba.tile<threads = 128, items = 16>} : (tensor<?xi32>, tensor<100x64xf16>) -> tensor<?x64xf16>
  return %y : tensor<?x64xf16>
}

//--- unknown.mlir

func.func @override_unknown(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{unknown tile parameter 'warps' for mamba.silu (parameters: threads, items)}}
  %y = mamba.silu %x : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

//--- malformed.mlir

// Empty entries are skipped; 'items=x' is not.
func.func @override_malformed(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{malformed tile override entry 'items=x': expected name=integer}}
  %y = mamba.silu %x : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

//--- override-range.mlir

func.func @override_out_of_range(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile parameter 'items' must be 1, 2, 4 or 8, got 16}}
  %y = mamba.silu %x : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
