// The heuristic of mamba-tile-ssd (passes/TileSsd.cpp) for the pass's
// `arch` (sm_90 unless given): p_tile = min(headdim, 64), halved while the
// f32 state slice p_tile x N would not fit registers (64 x 128, 32 x 128 for
// f32 activations), then halved down to 32 while fewer than 66 blocks would
// run at the static batch (1 when dynamic) and the warps can still share the
// state. Then: chunk 64 with 16 warps and two stages when the grid has at
// most 132 blocks (one per H100 SM) and one block of that fits; chunk 32
// with 8 warps and two stages when the grid is larger, d_state <= 128 and
// two blocks fit; otherwise chunk 64 with 8, then 4 warps, then chunk 32
// with 2 warps, with two stages when two blocks of them fit. The warps must
// split the chunk's 16-row tiles, Y's columns and the state evenly (so
// d_state 24 keeps 4 warps). The sequence stays in one segment (untimed
// yet). An existing tile is kept, and the `tile` option replaces the
// parameters it names (override*.mlir). arch.mlir shows
// the target changing the choice: sm_90/sm_90a allow 232448 bytes per
// block, sm_80/sm_87 166912, sm_86/sm_89 101376.

//--- heuristic.mlir

// mamba2-130m: H = 24, P = 64, N = 128, bf16. 24 blocks at batch 1 are too
// few: p_tile 32 gives 48, which fit the SMs one each, so 16 warps.
func.func @mamba2_130m(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// mamba2-2.7b: H = 80: 80 blocks at p_tile 64 fit the SMs one each.
func.func @mamba2_2_7b(%x: tensor<1x?x80x64xbf16>, %dt: tensor<1x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x80x64xbf16>, tensor<1x?x80xbf16>, tensor<80xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x80x64xbf16>
  return %y : tensor<1x?x80x64xbf16>
}

// A static batch of 2 gives 160 blocks: chunk 32 with 8 warps, two stages
// (74496 bytes a block).
func.func @mamba2_2_7b_batch2(%x: tensor<2x?x80x64xbf16>, %dt: tensor<2x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<2x?x1x128xbf16>) -> tensor<2x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<2x?x80x64xbf16>, tensor<2x?x80xbf16>, tensor<80xf32>, tensor<2x?x1x128xbf16>, tensor<2x?x1x128xbf16>) -> tensor<2x?x80x64xbf16>
  return %y : tensor<2x?x80x64xbf16>
}

// A dynamic batch counts as 1.
func.func @dynamic_batch(%x: tensor<?x?x80x64xbf16>, %dt: tensor<?x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<?x?x1x128xbf16>) -> tensor<?x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<?x?x80x64xbf16>, tensor<?x?x80xbf16>, tensor<80xf32>, tensor<?x?x1x128xbf16>, tensor<?x?x1x128xbf16>) -> tensor<?x?x80x64xbf16>
  return %y : tensor<?x?x80x64xbf16>
}

// f32 activations: the state slice is capped at 32 x 128; 48 blocks, and
// one block of two stages of chunk 64 (188928 bytes) fits sm_90. (sm_80 and
// sm_86: arch.mlir.)
func.func @f32_activations(%x: tensor<1x?x24x64xf32>, %dt: tensor<1x?x24xf32>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xf32>) -> tensor<1x?x24x64xf32> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xf32>, tensor<1x?x24xf32>, tensor<24xf32>, tensor<1x?x1x128xf32>, tensor<1x?x1x128xf32>) -> tensor<1x?x24x64xf32>
  return %y : tensor<1x?x24x64xf32>
}

// d_state 256 in bf16: the state cap gives p_tile 32; one block of two
// stages takes 172544 bytes.
func.func @d_state_256(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x256xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x256xbf16>, tensor<1x?x1x256xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// d_state 256 in f32: p_tile 16, whose 16 columns 16 warps (four per row
// tile, 8 columns each) cannot split; 8 warps with one stage of chunk 64
// (172800 bytes) fit sm_90 (not sm_80: arch.mlir).
func.func @d_state_256_f32(%x: tensor<1x?x24x64xf32>, %dt: tensor<1x?x24xf32>, %A: tensor<24xf32>, %BC: tensor<1x?x1x256xf32>) -> tensor<1x?x24x64xf32> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xf32>, tensor<1x?x24xf32>, tensor<24xf32>, tensor<1x?x1x256xf32>, tensor<1x?x1x256xf32>) -> tensor<1x?x24x64xf32>
  return %y : tensor<1x?x24x64xf32>
}

// headdim 128, 8 groups, f16, batch 4: 64 blocks at p_tile 64, so 32 (128
// blocks, one per SM).
func.func @headdim_128_groups(%x: tensor<4x?x8x128xf16>, %dt: tensor<4x?x8xf16>, %A: tensor<8xf32>, %BC: tensor<4x?x8x64xf16>) -> tensor<4x?x8x128xf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<4x?x8x128xf16>, tensor<4x?x8xf16>, tensor<8xf32>, tensor<4x?x8x64xf16>, tensor<4x?x8x64xf16>) -> tensor<4x?x8x128xf16>
  return %y : tensor<4x?x8x128xf16>
}

// d_state 24: neither 16 nor 8 warps can share the 4 x 3 MMA tiles of a
// 64 x 24 state, so 4 warps; p_tile stays 64 despite the few blocks (at 32
// its 2 x 3 tiles would not split over 8 warps).
func.func @d_state_24(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x24xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x24xbf16>, tensor<1x?x1x24xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// headdim 32 with d_state 8: 4 warps cannot share a 32 x 8 state, so
// chunk 32 with 2 warps.
func.func @headdim_32_d_state_8(%x: tensor<1x?x24x32xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x8xbf16>) -> tensor<1x?x24x32xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x32xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x8xbf16>, tensor<1x?x1x8xbf16>) -> tensor<1x?x24x32xbf16>
  return %y : tensor<1x?x24x32xbf16>
}

// seq_idx only adds the chunk's labels to each stage.
func.func @seq_idx(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>, %seq: tensor<1x?xi32>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC seq_idx(%seq) : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?xi32>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// z is staged too: with it the two stages of mamba2-2.7b take 115712 bytes,
// and one block fits sm_90.
func.func @mamba2_2_7b_z(%x: tensor<1x?x80x64xbf16>, %dt: tensor<1x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) : (tensor<1x?x80x64xbf16>, tensor<1x?x80xbf16>, tensor<80xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x80x64xbf16>) -> tensor<1x?x80x64xbf16>
  return %y : tensor<1x?x80x64xbf16>
}

// An existing tile is kept as written, its stages included.
func.func @existing_tile_kept(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// Other kernel ops are left to their own tile pass.
func.func @other_ops_untouched(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- override.mlir

// The named parameters replace the heuristic's; p_tile and stages keep
// their values.
func.func @override_heuristic(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// The named parameters replace an existing tile's; p_tile and stages are
// kept.
func.func @override_existing(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 32, p_tile = 64, warps = 2, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

//--- override-stages.mlir

// stages=1 turns off the second stage the heuristic chose on sm_90.
func.func @override_stages_heuristic(%x: tensor<1x?x80x64xbf16>, %dt: tensor<1x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) : (tensor<1x?x80x64xbf16>, tensor<1x?x80xbf16>, tensor<80xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x80x64xbf16>) -> tensor<1x?x80x64xbf16>
  return %y : tensor<1x?x80x64xbf16>
}

// ... and the stages of an existing tile.
func.func @override_stages_existing(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 64, p_tile = 64, warps = 4, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

//--- override-segments.mlir

// segments=3 splits each sequence over three blocks at batch 1: the grid z,
// max(1, 3 / batch), depends on the batch.
func.func @override_segments(%x: tensor<?x?x80x64xbf16>, %dt: tensor<?x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<?x?x1x128xbf16>) -> tensor<?x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) : (tensor<?x?x80x64xbf16>, tensor<?x?x80xbf16>, tensor<80xf32>, tensor<?x?x1x128xbf16>, tensor<?x?x1x128xbf16>, tensor<?x?x80x64xbf16>) -> tensor<?x?x80x64xbf16>
  return %y : tensor<?x?x80x64xbf16>
}

//--- arch.mlir

// The `arch` option picks the target whose per-block shared memory the
// heuristic sizes for (the shared lines are CHECK; SM90 is sm_90 and
// sm_90a, SM80 sm_80 and sm_87, SM86 sm_86 and sm_89).

// mamba2-2.7b with z: one block of the two-stage 115712 bytes fits sm_90
// and sm_80, not sm_86, which takes 8 warps and one stage (62976 bytes).
// SM90-SAME: tile = #mamba.tile<chunk = 64, p_tile = 64, warps = 16, stages = 2, segments = 1>
// SM80-SAME: tile = #mamba.tile<chunk = 64, p_tile = 64, warps = 16, stages = 2, segments = 1>
// SM86-SAME: tile = #mamba.tile<chunk = 64, p_tile = 64, warps = 8, stages = 1, segments = 1>
func.func @mamba2_2_7b_z(%x: tensor<1x?x80x64xbf16>, %dt: tensor<1x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) : (tensor<1x?x80x64xbf16>, tensor<1x?x80xbf16>, tensor<80xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x80x64xbf16>) -> tensor<1x?x80x64xbf16>
  return %y : tensor<1x?x80x64xbf16>
}

// headdim 128, 8 groups, f16, N = 64: one block of the two-stage 61952
// bytes fits every target.
// SM90-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 16, stages = 2, segments = 1>
// SM80-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 16, stages = 2, segments = 1>
// SM86-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 16, stages = 2, segments = 1>
func.func @headdim_128_groups(%x: tensor<4x?x8x128xf16>, %dt: tensor<4x?x8xf16>, %A: tensor<8xf32>, %BC: tensor<4x?x8x64xf16>) -> tensor<4x?x8x128xf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<4x?x8x128xf16>, tensor<4x?x8xf16>, tensor<8xf32>, tensor<4x?x8x64xf16>, tensor<4x?x8x64xf16>) -> tensor<4x?x8x128xf16>
  return %y : tensor<4x?x8x128xf16>
}

// d_state 24: two blocks of the two-stage 49152 bytes fit every target.
func.func @d_state_24(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x24xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x24xbf16>, tensor<1x?x1x24xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// f32 activations: one block of the two stages of chunk 64 (188928 bytes)
// fits sm_90; sm_80 takes one stage (111616 bytes) with 8 warps, sm_86
// chunk 32 with 2 warps (60160 bytes, 98816 with two stages, too many for
// two blocks).
// SM90-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 16, stages = 2, segments = 1>
// SM80-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 8, stages = 1, segments = 1>
// SM86-SAME: tile = #mamba.tile<chunk = 32, p_tile = 32, warps = 2, stages = 1, segments = 1>
func.func @f32_activations(%x: tensor<1x?x24x64xf32>, %dt: tensor<1x?x24xf32>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xf32>) -> tensor<1x?x24x64xf32> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xf32>, tensor<1x?x24xf32>, tensor<24xf32>, tensor<1x?x1x128xf32>, tensor<1x?x1x128xf32>) -> tensor<1x?x24x64xf32>
  return %y : tensor<1x?x24x64xf32>
}

// d_state 256 in f32: one stage of chunk 64 (172800 bytes) fits sm_90 only;
// elsewhere chunk 32 with 2 warps (90624 bytes).
// SM90-SAME: tile = #mamba.tile<chunk = 64, p_tile = 16, warps = 8, stages = 1, segments = 1>
// SM80-SAME: tile = #mamba.tile<chunk = 32, p_tile = 16, warps = 2, stages = 1, segments = 1>
// SM86-SAME: tile = #mamba.tile<chunk = 32, p_tile = 16, warps = 2, stages = 1, segments = 1>
func.func @d_state_256_f32(%x: tensor<1x?x24x64xf32>, %dt: tensor<1x?x24xf32>, %A: tensor<24xf32>, %BC: tensor<1x?x1x256xf32>) -> tensor<1x?x24x64xf32> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xf32>, tensor<1x?x24xf32>, tensor<24xf32>, tensor<1x?x1x256xf32>, tensor<1x?x1x256xf32>) -> tensor<1x?x24x64xf32>
  return %y : tensor<1x?x24x64xf32>
}

// An existing tile is kept whatever the target (mamba-plan-launch checks
// that it fits).
func.func @existing_tile_kept(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
