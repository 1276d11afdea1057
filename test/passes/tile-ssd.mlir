// RUN: split-file %s %t
// RUN: mamba-opt %t/heuristic.mlir --mamba-tile-ssd | FileCheck %t/heuristic.mlir
// RUN: mamba-opt %t/override.mlir --mamba-tile-ssd="tile=chunk=128,warps=8" | FileCheck %t/override.mlir

// The heuristic of mamba-tile-ssd (passes/TileSsd.cpp): chunk 64 with 4
// warps; p_tile = min(headdim, 64), halved while the f32 state slice
// p_tile x N would not fit registers (64 x 128, 32 x 128 for f32
// activations), then halved down to 32 while fewer than 132 blocks would run
// at the static batch (1 when dynamic) and the warps can still share the
// state; chunk 32 with 2 warps when the chunk's shared memory would not fit
// 99 KB or 4 warps cannot share the state. An existing tile is kept, and the
// `tile` option replaces the parameters it names (override.mlir).

//--- heuristic.mlir

// mamba2-130m: H = 24, P = 64, N = 128, bf16. 24 blocks at batch 1 are too
// few: p_tile 32 gives 48.
// CHECK-LABEL: func.func @mamba2_130m
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4>
func.func @mamba2_130m(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// mamba2-2.7b: H = 80 (80 blocks at p_tile 64, 160 at 32).
// CHECK-LABEL: func.func @mamba2_2_7b
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4>
func.func @mamba2_2_7b(%x: tensor<1x?x80x64xbf16>, %dt: tensor<1x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x80x64xbf16>, tensor<1x?x80xbf16>, tensor<80xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x80x64xbf16>
  return %y : tensor<1x?x80x64xbf16>
}

// A static batch of 2 gives 160 blocks at p_tile 64 already.
// CHECK-LABEL: func.func @mamba2_2_7b_batch2
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 64, p_tile = 64, warps = 4>
func.func @mamba2_2_7b_batch2(%x: tensor<2x?x80x64xbf16>, %dt: tensor<2x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<2x?x1x128xbf16>) -> tensor<2x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<2x?x80x64xbf16>, tensor<2x?x80xbf16>, tensor<80xf32>, tensor<2x?x1x128xbf16>, tensor<2x?x1x128xbf16>) -> tensor<2x?x80x64xbf16>
  return %y : tensor<2x?x80x64xbf16>
}

// A dynamic batch counts as 1.
// CHECK-LABEL: func.func @dynamic_batch
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4>
func.func @dynamic_batch(%x: tensor<?x?x80x64xbf16>, %dt: tensor<?x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<?x?x1x128xbf16>) -> tensor<?x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<?x?x80x64xbf16>, tensor<?x?x80xbf16>, tensor<80xf32>, tensor<?x?x1x128xbf16>, tensor<?x?x1x128xbf16>) -> tensor<?x?x80x64xbf16>
  return %y : tensor<?x?x80x64xbf16>
}

// f32 activations: the state slice is capped at 32 x 128, and the f32
// chunk tiles need chunk 32 to fit 99 KB.
// CHECK-LABEL: func.func @f32_activations
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 32, p_tile = 32, warps = 2>
func.func @f32_activations(%x: tensor<1x?x24x64xf32>, %dt: tensor<1x?x24xf32>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xf32>) -> tensor<1x?x24x64xf32> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xf32>, tensor<1x?x24xf32>, tensor<24xf32>, tensor<1x?x1x128xf32>, tensor<1x?x1x128xf32>) -> tensor<1x?x24x64xf32>
  return %y : tensor<1x?x24x64xf32>
}

// d_state 256 in bf16: the state cap gives p_tile 32.
// CHECK-LABEL: func.func @d_state_256
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4>
func.func @d_state_256(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x256xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x256xbf16>, tensor<1x?x1x256xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// d_state 256 in f32: p_tile 16, chunk 32.
// CHECK-LABEL: func.func @d_state_256_f32
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 32, p_tile = 16, warps = 2>
func.func @d_state_256_f32(%x: tensor<1x?x24x64xf32>, %dt: tensor<1x?x24xf32>, %A: tensor<24xf32>, %BC: tensor<1x?x1x256xf32>) -> tensor<1x?x24x64xf32> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xf32>, tensor<1x?x24xf32>, tensor<24xf32>, tensor<1x?x1x256xf32>, tensor<1x?x1x256xf32>) -> tensor<1x?x24x64xf32>
  return %y : tensor<1x?x24x64xf32>
}

// headdim 128, 8 groups, f16, batch 4: 64 blocks at p_tile 64, so 32.
// CHECK-LABEL: func.func @headdim_128_groups
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4>
func.func @headdim_128_groups(%x: tensor<4x?x8x128xf16>, %dt: tensor<4x?x8xf16>, %A: tensor<8xf32>, %BC: tensor<4x?x8x64xf16>) -> tensor<4x?x8x128xf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<4x?x8x128xf16>, tensor<4x?x8xf16>, tensor<8xf32>, tensor<4x?x8x64xf16>, tensor<4x?x8x64xf16>) -> tensor<4x?x8x128xf16>
  return %y : tensor<4x?x8x128xf16>
}

// d_state 24: a p_tile of 32 could not share its 2 x 3 MMA tiles over 4
// warps, so p_tile stays 64 despite the few blocks.
// CHECK-LABEL: func.func @d_state_24
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 64, p_tile = 64, warps = 4>
func.func @d_state_24(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x24xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x24xbf16>, tensor<1x?x1x24xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// headdim 32 with d_state 8: 4 warps cannot share a 32 x 8 state, so
// chunk 32 with 2 warps.
// CHECK-LABEL: func.func @headdim_32_d_state_8
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 32, p_tile = 32, warps = 2>
func.func @headdim_32_d_state_8(%x: tensor<1x?x24x32xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x8xbf16>) -> tensor<1x?x24x32xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x32xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x8xbf16>, tensor<1x?x1x8xbf16>) -> tensor<1x?x24x32xbf16>
  return %y : tensor<1x?x24x32xbf16>
}

// seq_idx only adds the chunk's labels to shared memory.
// CHECK-LABEL: func.func @seq_idx
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4>
func.func @seq_idx(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>, %seq: tensor<1x?xi32>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC seq_idx(%seq) : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?xi32>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// An existing tile is kept as written.
// CHECK-LABEL: func.func @existing_tile_kept
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8>
func.func @existing_tile_kept(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// Other kernel ops are left to their own tile pass.
// CHECK-LABEL: func.func @other_ops_untouched
// CHECK: mamba.selective_scan
// CHECK-NOT: tile
// CHECK: return
func.func @other_ops_untouched(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- override.mlir

// The named parameters replace the heuristic's; p_tile keeps its value.
// CHECK-LABEL: func.func @override_heuristic
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 128, p_tile = 32, warps = 8>
func.func @override_heuristic(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// The named parameters replace an existing tile's; p_tile is kept.
// CHECK-LABEL: func.func @override_existing
// CHECK: mamba.ssd
// CHECK-SAME: tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8>
func.func @override_existing(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 32, p_tile = 64, warps = 2>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
