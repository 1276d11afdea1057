// mamba-plan-launch turns each `tile` into `launch = #mamba.launch<grid,
// block, smem, regs>` with the rules of passes/Tile*.cpp (grid extents of a
// run-time size are `?`), and checks the plan against the arch's limits.
// The tiles here are written out, so each case checks the launch rule of its
// op alone. Launches are the same on every arch (common.mlir); only the
// shared-memory limit differs (smem-*.mlir, and plan-launch-invalid.mlir).

//--- common.mlir

// mamba-130m scan, per-token B and C, with the heuristic tile: grid (D / 4,
// Bt); smem (passes/TileSelectiveScan.cpp) = two stages of the B and C tiles
// (2 x 8 x 512 bf16) and of u and delta (2 x 4 x 512 bf16), then 4 x 16 f32
// carries: 2 x (8192 + 4096) x 2 + 256 = 49408 bytes; 3 x 16 + 4 x 16 + 64 =
// 176 estimated registers allow 2 blocks of 128, so 256 -> 255 registers.
func.func @selective_scan_130m(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>, %C: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// The same with z, staged with u and delta: 2 x (8192 + 3 x 4 x 512) x 2 +
// 256 = 57600 bytes.
func.func @selective_scan_130m_z(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>, %C: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C z(%u) {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<?x1536x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// 4 warps of 2 channels, 8 items, 16 states a tile: grid D / 8; smem = 2 x
// (2 x 16 x 256 + 2 x 8 x 256) x 2 + 8 x 16 x 4 = 49664 bytes; 144
// estimated registers allow 3 blocks of 128, so 170 -> 168 registers.
func.func @selective_scan_two_channels(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>, %C: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// Per-token B only, 8 warps of 4 channels, 8 items: grid D / 32; smem = 2 x
// (16 x 256 + 2 x 32 x 256) x 2 + 32 x 16 x 4 = 83968 bytes; 192 estimated
// registers leave one block per SM, capped at 255. (16 items: smem-sm80.mlir.)
func.func @selective_scan_wide_block(%u: tensor<?x1536x?xf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xf16>, %C: tensor<1536x16xf32>) -> tensor<?x1536x?xf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C {tile = #mamba.tile<warps = 8, channels_per_warp = 4, items = 8, n_tile = 16>} : (tensor<?x1536x?xf16>, tensor<?x1536x?xf16>, tensor<1536x16xf32>, tensor<?x1x16x?xf16>, tensor<1536x16xf32>) -> tensor<?x1536x?xf16>
  return %y : tensor<?x1536x?xf16>
}

// Constant B and C stage nothing: smem = two stages of u and delta (2 x 8 x
// 256 f32) and 8 x 16 f32 carries = 2 x 4096 x 4 + 512 = 33280 bytes.
func.func @selective_scan_constant_bc(%u: tensor<?x5120x?xf32>, %A: tensor<5120x16xf32>, %B: tensor<5120x16xf32>, %C: tensor<5120x16xf32>) -> tensor<?x5120x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x5120x?xf32>, tensor<?x5120x?xf32>, tensor<5120x16xf32>, tensor<5120x16xf32>, tensor<5120x16xf32>) -> tensor<?x5120x?xf32>
  return %y : tensor<?x5120x?xf32>
}

// f32 with d_state 256 at items 8 (the sm_80 heuristic,
// tile-selective-scan.mlir): 2 x (2 x 8 x 256 + 2 x 4 x 256) x 4 + 4 x 256 x
// 4 = 53248 bytes; 120 estimated registers allow 4 blocks, 128 registers.
func.func @selective_scan_d_state_256_f32_items_8(%u: tensor<?x1536x?xf32>, %A: tensor<1536x256xf32>, %BC: tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 8>} : (tensor<?x1536x?xf32>, tensor<?x1536x?xf32>, tensor<1536x256xf32>, tensor<?x1x256x?xf32>, tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32>
  return %y : tensor<?x1536x?xf32>
}

// mamba2-130m ssd, one stage: grid (H x P / p_tile, Bt); smem from
// codegen/device/SsdLayout.h: a stage of C, B (64 x 136 bf16 each), X
// (64 x 40), dt and its cumsum (64 f32 each) = 40448 bytes, then M (64 x 72)
// and H (32 x 136) = 58368 bytes; one block per SM.
func.func @ssd_130m(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// Two stages double the 40448-byte stage: 2 x 40448 + 9216 + 8704 = 98816
// bytes, within even sm_86's 101376.
func.func @ssd_130m_two_stages(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// Channel-first conv: grid (ceil(L / 256), D / 4, Bt); smem = (256 + 3) x
// (4 + 1) f32 = 5180; 4 blocks per SM leave 128 registers.
func.func @causal_conv1d_channel_first(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 256, c_tile = 4, threads = 128>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// Channel-last conv with seq_idx: grid (ceil(L / 64), ceil(1792 / 64), Bt);
// smem = 67 x 65 f32 plus 67 labels = 17688.
func.func @causal_conv1d_channel_last_seq_idx(%x: tensor<?x?x1792xbf16>, %w: tensor<1792x4xbf16>, %seq: tensor<?x?xi32>) -> tensor<?x?x1792xbf16> {
  %y = mamba.causal_conv1d %x, %w seq_idx(%seq) {layout = #mamba<layout channel_last>, tile = #mamba.tile<l_tile = 64, c_tile = 64, threads = 128>} : (tensor<?x?x1792xbf16>, tensor<1792x4xbf16>, tensor<?x?xi32>) -> tensor<?x?x1792xbf16>
  return %y : tensor<?x?x1792xbf16>
}

// W = 2, D = 100: ceil(100 / 32) channel blocks, (128 + 1) x 33 f32; 4
// blocks of 64 threads leave 256 registers, capped at 255.
func.func @causal_conv1d_ragged_channels(%x: tensor<?x100x?xf32>, %w: tensor<100x2xf32>) -> tensor<?x100x?xf32> {
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 128, c_tile = 32, threads = 64>} : (tensor<?x100x?xf32>, tensor<100x2xf32>) -> tensor<?x100x?xf32>
  return %y : tensor<?x100x?xf32>
}

// conv update: grid (ceil(D / threads), Bt), no shared memory.
func.func @causal_conv1d_update(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<threads = 128>} : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

// Mamba-1 decode: 4 warps of 32 / 4 rows give 32 rows a block, grid
// (ceil(1536 / 32), Bt). 4 state values a lane: 3 * 4 + 16 -> 32 registers,
// 16 blocks of 128 threads fill an SM.
func.func @selective_state_update_mamba1(%s: tensor<?x1536x16xf32>, %x: tensor<?x1536xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 4, warps = 4>} : (tensor<?x1536x16xf32>, tensor<?x1536xbf16>, tensor<?x1536xbf16>, tensor<1536x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x16xf32>
}

// Mamba-2 decode: 4 rows a block, grid (H x 64 / 4, Bt).
func.func @selective_state_update_mamba2(%s: tensor<?x24x64x128xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 32, warps = 4>} : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>
}

// 8 values a lane (16 lanes): 3 * 8 + 16 = 40 -> 48 registers, 10 blocks.
func.func @selective_state_update_8_a_lane(%s: tensor<?x24x64x128xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 16, warps = 4>} : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>
}

// 32 values a lane (4 lanes, 8 warps): 3 * 32 + 16 = 112 registers, 2 blocks
// of 256 threads (65536 / (256 * 112)), which leave 128.
func.func @selective_state_update_32_a_lane(%s: tensor<?x24x64x128xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 4, warps = 8>} : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>
}

// rms_norm: one block per row; 1024 / 96 = 10 blocks per SM leave 68 -> 64
// registers.
func.func @rms_norm(%x: tensor<?x?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x?x768xbf16> {
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 96, items = 8>} : (tensor<?x?x768xbf16>, tensor<768xbf16>) -> tensor<?x?x768xbf16>
  return %y : tensor<?x?x768xbf16>
}

// gated_rms_norm: one block per (row, group), 8 groups.
func.func @gated_rms_norm(%x: tensor<?x5120xbf16>, %w: tensor<5120xbf16>) -> tensor<?x5120xbf16> {
  %y = mamba.gated_rms_norm %x, %w z(%x) {group_size = 640 : i64, tile = #mamba.tile<threads = 96, items = 8>} : (tensor<?x5120xbf16>, tensor<5120xbf16>, tensor<?x5120xbf16>) -> tensor<?x5120xbf16>
  return %y : tensor<?x5120xbf16>
}

// Pointwise ops: a flat grid over the elements; 2048 / 256 = 8 blocks per
// SM leave 32 registers.
func.func @silu(%x: tensor<?x1536x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.silu %x {tile = #mamba.tile<threads = 256, items = 8>} : tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// embedding: one block per id.
func.func @embedding(%ids: tensor<?x?xi32>, %t: tensor<50280x768xbf16>) -> tensor<?x?x768xbf16> {
  %y = mamba.embedding %ids, %t {tile = #mamba.tile<threads = 128, items = 8>} : (tensor<?x?xi32>, tensor<50280x768xbf16>) -> tensor<?x?x768xbf16>
  return %y : tensor<?x?x768xbf16>
}

// A stale launch is replaced by the plan of the tile (@selective_scan_130m).
func.func @stale_launch_replaced(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>, %C: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>, launch = #mamba.launch<grid = [1, 1, 1], block = [32, 1, 1], smem = 0, regs = 255>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// Ops without a tile are not planned (mamba-prepare-emission rejects an
// untiled kernel op), and mamba.linear is a library call.
func.func @untiled_ops(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>, %x: tensor<?x64xf32>, %w: tensor<128x64xf32>) -> (tensor<2x64x?xf32>, tensor<?x128xf32>) {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  %z = mamba.linear %x, %w : (tensor<?x64xf32>, tensor<128x64xf32>) -> tensor<?x128xf32>
  return %y, %z : tensor<2x64x?xf32>, tensor<?x128xf32>
}

//--- smem-sm80.mlir

// (512 + 3) x (64 + 1) f32 = 133900 bytes: over sm_86/sm_89's 101376, within
// sm_80/sm_87's 166912.
func.func @conv_133900_bytes(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 512, c_tile = 64, threads = 256>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// @selective_scan_wide_block (common.mlir) with 16 items: 2 x (16 x 512 +
// 2 x 32 x 512) x 2 + 2048 = 165888 bytes, over sm_86/sm_89's 101376,
// within sm_80/sm_87's 166912; 320 estimated registers cap at 255.
func.func @selective_scan_wide_block_16_items(%u: tensor<?x1536x?xf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xf16>, %C: tensor<1536x16xf32>) -> tensor<?x1536x?xf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C {tile = #mamba.tile<warps = 8, channels_per_warp = 4, items = 16, n_tile = 16>} : (tensor<?x1536x?xf16>, tensor<?x1536x?xf16>, tensor<1536x16xf32>, tensor<?x1x16x?xf16>, tensor<1536x16xf32>) -> tensor<?x1536x?xf16>
  return %y : tensor<?x1536x?xf16>
}

// f32 with d_state 256 at items 16, the sm_90 heuristic: 2 x (2 x 8 x 512 +
// 2 x 4 x 512) x 4 + 4096 = 102400 bytes, just over sm_86/sm_89's 101376
// (the sm_86 heuristic takes items 4); 176 estimated registers, 255.
func.func @selective_scan_d_state_256_f32_items_16(%u: tensor<?x1536x?xf32>, %A: tensor<1536x256xf32>, %BC: tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>} : (tensor<?x1536x?xf32>, tensor<?x1536x?xf32>, tensor<1536x256xf32>, tensor<?x1x256x?xf32>, tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32>
  return %y : tensor<?x1536x?xf32>
}

// ssd with chunk 128, 8 warps, the whole headdim and one stage: 24 blocks of
// 256 threads; a stage of C, B (128 x 136 bf16 each), X (128 x 72), dt and
// its cumsum (89088 bytes), M (128 x 136), H (64 x 136) = 141312 bytes, over
// sm_86/sm_89's 101376.
func.func @ssd_chunk_128(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// mamba2-130m ssd with z (64 x 40 bf16) and the seq_idx labels (64 ints),
// which join each stage: 40448 + 5120 + 256 = 45824 bytes a stage, and two
// stages give 2 x 45824 + 9216 + 8704 = 109568, over sm_86/sm_89's 101376.
func.func @ssd_130m_z_seq_idx_two_stages(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>, %seq: tensor<1x?xi32>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) seq_idx(%seq) {tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x24x64xbf16>, tensor<1x?xi32>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

//--- smem-sm90.mlir

// 8 warps of 4 channels, 16 items, d_state 256: 2 x (2 x 8 x 512 + 2 x 32 x
// 512) x 2 + 32 x 256 x 4 = 196608 bytes: over sm_80's 166912, within
// sm_90's 232448.
func.func @scan_196608_bytes(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x256xf32>, %B: tensor<?x1x256x?xbf16>, %C: tensor<?x1x256x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C {tile = #mamba.tile<warps = 8, channels_per_warp = 4, items = 16, n_tile = 8>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x256xf32>, tensor<?x1x256x?xbf16>, tensor<?x1x256x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// @ssd_chunk_128 (smem-sm80.mlir) with two stages: 2 x 89088 + 34816 +
// 17408 = 230400 bytes, over sm_80's 166912, within sm_90's 232448.
func.func @ssd_chunk_128_two_stages(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
