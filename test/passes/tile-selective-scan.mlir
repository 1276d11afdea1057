// RUN: mamba-opt %s --mamba-tile-selective-scan | FileCheck %s
// RUN: mamba-opt %s --mamba-tile-selective-scan="tile=items=16,n_tile=8" | FileCheck %s --check-prefix=OVR
// RUN: mamba-opt %s --pass-pipeline="builtin.module(mamba-tile-selective-scan{tile=warps=1,channels_per_warp=1})" | FileCheck %s --check-prefix=PIPE

// The heuristic of mamba-tile-selective-scan (passes/TileSelectiveScan.cpp):
// warps = 4, channels_per_warp = 2, items = 8, n_tile = 16, with smaller
// warps / channels_per_warp when a block must stay inside one group of B/C,
// and n_tile = 8 when 16 does not divide d_state. An existing tile is kept;
// the `tile` option replaces the named parameters of the heuristic or the
// existing tile and keeps the others (OVR, PIPE).

// mamba-130m: D = 1536, N = 16, per-token B/C with one group, bf16.
// CHECK-LABEL: func.func @mamba_130m_bf16
// CHECK: mamba.selective_scan
// CHECK-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>
// OVR-LABEL: func.func @mamba_130m_bf16
// OVR: tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 16, n_tile = 8>
// PIPE-LABEL: func.func @mamba_130m_bf16
// PIPE: tile = #mamba.tile<warps = 1, channels_per_warp = 1, items = 8, n_tile = 16>
func.func @mamba_130m_bf16(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16x?xbf16>, %D: tensor<1536xf32>, %db: tensor<1536xf32>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC D(%D) z(%u) delta_bias(%db) {delta_softplus} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<1536xf32>, tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// mamba-2.8b: D = 5120, f32 activations (items 8 is two 16-byte vectors).
// CHECK-LABEL: func.func @mamba_2_8b_f32
// CHECK: mamba.selective_scan
// CHECK-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>
// OVR-LABEL: func.func @mamba_2_8b_f32
// OVR: tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 16, n_tile = 8>
// PIPE-LABEL: func.func @mamba_2_8b_f32
// PIPE: tile = #mamba.tile<warps = 1, channels_per_warp = 1, items = 8, n_tile = 16>
func.func @mamba_2_8b_f32(%u: tensor<1x5120x?xf32>, %A: tensor<5120x16xf32>, %BC: tensor<1x1x16x?xf32>) -> (tensor<1x5120x?xf32>, tensor<1x5120x16xf32>) {
  %y, %s = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<1x5120x?xf32>, tensor<1x5120x?xf32>, tensor<5120x16xf32>, tensor<1x1x16x?xf32>, tensor<1x1x16x?xf32>) -> (tensor<1x5120x?xf32>, tensor<1x5120x16xf32>)
  return %y, %s : tensor<1x5120x?xf32>, tensor<1x5120x16xf32>
}

// Constant (D, N) B and C: no group constraint; f16.
// CHECK-LABEL: func.func @constant_bc_f16
// CHECK: mamba.selective_scan
// CHECK-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>
// OVR-LABEL: func.func @constant_bc_f16
// OVR: tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 16, n_tile = 8>
func.func @constant_bc_f16(%u: tensor<2x768x?xf16>, %A: tensor<768x16xf32>) -> tensor<2x768x?xf16> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x768x?xf16>, tensor<2x768x?xf16>, tensor<768x16xf32>, tensor<768x16xf32>, tensor<768x16xf32>) -> tensor<2x768x?xf16>
  return %y : tensor<2x768x?xf16>
}

// d_state = 24: 16 does not divide it, n_tile = 8.
// CHECK-LABEL: func.func @d_state_24
// CHECK: mamba.selective_scan
// CHECK-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 8>
// OVR-LABEL: func.func @d_state_24
// OVR: tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 16, n_tile = 8>
func.func @d_state_24(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x24xf32>, %BC: tensor<?x1x24x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x24xf32>, tensor<?x1x24x?xbf16>, tensor<?x1x24x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// 384 groups of B leave 4 channels per group: 2 warps of 2 channels. C is
// per token without groups (rank 3).
// CHECK-LABEL: func.func @groups_of_4
// CHECK: mamba.selective_scan
// CHECK-SAME: tile = #mamba.tile<warps = 2, channels_per_warp = 2, items = 8, n_tile = 16>
// OVR-LABEL: func.func @groups_of_4
// OVR: tile = #mamba.tile<warps = 2, channels_per_warp = 2, items = 16, n_tile = 8>
func.func @groups_of_4(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x384x16x?xbf16>, %C: tensor<?x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x384x16x?xbf16>, tensor<?x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// 3 channels per group: one warp of one channel per block.
// CHECK-LABEL: func.func @groups_of_3
// CHECK: mamba.selective_scan
// CHECK-SAME: tile = #mamba.tile<warps = 1, channels_per_warp = 1, items = 8, n_tile = 16>
// OVR-LABEL: func.func @groups_of_3
// OVR: tile = #mamba.tile<warps = 1, channels_per_warp = 1, items = 16, n_tile = 8>
func.func @groups_of_3(%u: tensor<2x96x?xf32>, %A: tensor<96x16xf32>, %BC: tensor<2x32x16x?xf32>) -> tensor<2x96x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<2x96x?xf32>, tensor<2x96x?xf32>, tensor<96x16xf32>, tensor<2x32x16x?xf32>, tensor<2x32x16x?xf32>) -> tensor<2x96x?xf32>
  return %y : tensor<2x96x?xf32>
}

// B and C grouped differently (768 and 3 channels per group): a block stays
// inside a group of both, gcd = 3.
// CHECK-LABEL: func.func @groups_of_b_and_c
// CHECK: mamba.selective_scan
// CHECK-SAME: tile = #mamba.tile<warps = 1, channels_per_warp = 1, items = 8, n_tile = 16>
func.func @groups_of_b_and_c(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x2x16x?xbf16>, %C: tensor<?x512x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x2x16x?xbf16>, tensor<?x512x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// D = 100 is not a multiple of 8: 2 warps of 2 channels.
// CHECK-LABEL: func.func @channels_100
// CHECK: mamba.selective_scan
// CHECK-SAME: tile = #mamba.tile<warps = 2, channels_per_warp = 2, items = 8, n_tile = 16>
func.func @channels_100(%u: tensor<1x100x?xf32>, %A: tensor<100x16xf32>) -> tensor<1x100x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<1x100x?xf32>, tensor<1x100x?xf32>, tensor<100x16xf32>, tensor<100x16xf32>, tensor<100x16xf32>) -> tensor<1x100x?xf32>
  return %y : tensor<1x100x?xf32>
}

// The channel count comes from A when u's is dynamic.
// CHECK-LABEL: func.func @channels_from_a
// CHECK: mamba.selective_scan
// CHECK-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>
func.func @channels_from_a(%u: tensor<?x?x?xbf16>, %A: tensor<2048x16xf32>) -> tensor<?x?x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<2048x16xf32>, tensor<2048x16xf32>, tensor<2048x16xf32>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}

// An existing tile is kept as written (not replaced by the heuristic); the
// option still overrides the parameters it names.
// CHECK-LABEL: func.func @existing_tile_kept
// CHECK: mamba.selective_scan
// CHECK-SAME: tile = #mamba.tile<warps = 8, channels_per_warp = 1, items = 4, n_tile = 16>
// OVR-LABEL: func.func @existing_tile_kept
// OVR: tile = #mamba.tile<warps = 8, channels_per_warp = 1, items = 16, n_tile = 8>
// PIPE-LABEL: func.func @existing_tile_kept
// PIPE: tile = #mamba.tile<warps = 1, channels_per_warp = 1, items = 4, n_tile = 16>
func.func @existing_tile_kept(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC {tile = #mamba.tile<warps = 8, channels_per_warp = 1, items = 4, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// Other kernel ops are left to their own tile pass.
// CHECK-LABEL: func.func @other_ops_untouched
// CHECK: mamba.causal_conv1d
// CHECK-NOT: tile
// CHECK: return
func.func @other_ops_untouched(%x: tensor<2x64x?xbf16>, %w: tensor<64x4xbf16>) -> tensor<2x64x?xbf16> {
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x?xbf16>, tensor<64x4xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}
