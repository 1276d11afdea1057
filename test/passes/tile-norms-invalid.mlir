// RUN: split-file %s %t
// RUN: mamba-opt %t/tile.mlir --split-input-file --verify-diagnostics --mamba-tile-norms
// RUN: mamba-opt %t/unknown.mlir --verify-diagnostics --mamba-tile-norms="tile=warps=4"
// RUN: mamba-opt %t/malformed.mlir --verify-diagnostics --mamba-tile-norms="tile=threads:128"
// RUN: mamba-opt %t/override-rule.mlir --verify-diagnostics --mamba-tile-norms="tile=items=1"

// Every diagnostic of mamba-tile-norms: the verifyTile rules of
// passes/TileNorms.cpp on a given tile (tile.mlir), and the parse of the
// `tile` override option (one file per option value).

//--- tile.mlir

func.func @dynamic_row(%x: tensor<?x?xbf16>, %w: tensor<?xbf16>) -> tensor<?x?xbf16> {
  // expected-error @+1 {{'mamba.rms_norm' op needs a static row length for tiling, got '?'}}
  %y = mamba.rms_norm %x, %w : (tensor<?x?xbf16>, tensor<?xbf16>) -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}

// -----

func.func @dynamic_row_gated(%x: tensor<?x?xbf16>, %w: tensor<?xbf16>, %z: tensor<?x?xbf16>) -> tensor<?x?xbf16> {
  // expected-error @+1 {{'mamba.gated_rms_norm' op needs a static row length for tiling, got '?'}}
  %y = mamba.gated_rms_norm %x, %w z(%z) {group_size = 256 : i64} : (tensor<?x?xbf16>, tensor<?xbf16>, tensor<?x?xbf16>) -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}

// -----

// A given tile does not make a dynamic row length acceptable.
func.func @dynamic_row_given_tile(%x: tensor<?x?xbf16>, %w: tensor<?xbf16>) -> tensor<?x?xbf16> {
  // expected-error @+1 {{needs a static row length for tiling, got '?'}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 96, items = 8>} : (tensor<?x?xbf16>, tensor<?xbf16>) -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}

// -----

func.func @unknown_parameter(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile has unknown parameter 'rows' (expected: threads, items)}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 96, items = 8, rows = 1>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

func.func @missing_parameter(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile lacks parameter 'items'}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 96>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

func.func @threads_not_warp_multiple(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.rms_norm' op tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 48}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 48, items = 16>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

func.func @threads_too_many(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 2048}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 2048, items = 1>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

func.func @items_zero(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile parameter 'items' must be in [1, 64], got 0}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 96, items = 0>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

func.func @items_too_many(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile parameter 'items' must be in [1, 64], got 128}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 32, items = 128>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

func.func @row_not_covered(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile covers 32 x 8 columns, fewer than the 768 a block normalises}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 32, items = 8>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

// gated_rms_norm normalises one group per block: 256 < 512.
func.func @group_not_covered(%x: tensor<?x1024xbf16>, %w: tensor<1024xbf16>, %z: tensor<?x1024xbf16>) -> tensor<?x1024xbf16> {
  // expected-error @+1 {{'mamba.gated_rms_norm' op tile covers 32 x 8 columns, fewer than the 512 a block normalises}}
  %y = mamba.gated_rms_norm %x, %w z(%z) {group_size = 512 : i64, tile = #mamba.tile<threads = 32, items = 8>} : (tensor<?x1024xbf16>, tensor<1024xbf16>, tensor<?x1024xbf16>) -> tensor<?x1024xbf16>
  return %y : tensor<?x1024xbf16>
}

//--- unknown.mlir

func.func @override_unknown(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{unknown tile parameter 'warps' for mamba.rms_norm (parameters: threads, items)}}
  %y = mamba.rms_norm %x, %w : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

//--- malformed.mlir

func.func @override_malformed(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{malformed tile override entry 'threads:128': expected name=integer}}
  %y = mamba.rms_norm %x, %w : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

//--- override-rule.mlir

// One item per thread leaves the heuristic's 96 threads short of the row.
func.func @override_breaks_rule(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile covers 96 x 1 columns, fewer than the 768 a block normalises}}
  %y = mamba.rms_norm %x, %w : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
