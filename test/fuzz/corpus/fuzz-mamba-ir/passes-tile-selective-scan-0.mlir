// The heuristic of mamba-tile-selective-scan (passes/TileSelectiveScan.cpp)
// for the pass's `arch` (sm_90 unless given): warps = the largest of 4, 2, 1
// dividing the channels of a group of B/C (a block stays inside one group),
// channels_per_warp = 1, n_tile = 8, and items = 16, halved (down to the
// 16-byte vector width, 16 / element bytes) while two blocks of the shared
// memory would not fit the target's per-block limit: 2 x (staged x n_tile +
// acts x warps) x 32 x items activations (staged = per-token B/C operands,
// acts = u, delta and z if given) plus warps x d_state f32 carries. An
// existing tile is kept; the `tile` option replaces the named parameters of
// the heuristic or the existing tile and keeps the others (OVR, PIPE).
// arch.mlir shows the target changing the choice: sm_90/sm_90a allow 232448
// bytes per block, sm_80/sm_87 166912, sm_86/sm_89 101376.

//--- heuristic.mlir

// mamba-130m: D = 1536, N = 16, per-token B/C with one group, bf16, with
// z: 2 x (2 x 8 + 3 x 4) x 512 x 2 + 4 x 16 x 4 = 57600 bytes at items 16,
// and two blocks (115200) fit sm_90.
// OVR-LABEL: func.func @mamba_130m_bf16
// OVR: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 4>
// PIPE-LABEL: func.func @mamba_130m_bf16
// PIPE: tile = #mamba.tile<warps = 1, channels_per_warp = 1, items = 16, n_tile = 8>
func.func @mamba_130m_bf16(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16x?xbf16>, %D: tensor<1536xf32>, %db: tensor<1536xf32>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC D(%D) z(%u) delta_bias(%db) {delta_softplus} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<1536xf32>, tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// mamba-2.8b: D = 5120, f32 activations: 2 x (2 x 8 + 2 x 4) x 512 x 4 +
// 4 x 16 x 4 = 98560 bytes at items 16; two blocks (197120) fit sm_90.
// OVR-LABEL: func.func @mamba_2_8b_f32
// OVR: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 4>
// PIPE-LABEL: func.func @mamba_2_8b_f32
// PIPE: tile = #mamba.tile<warps = 1, channels_per_warp = 1, items = 16, n_tile = 8>
func.func @mamba_2_8b_f32(%u: tensor<1x5120x?xf32>, %A: tensor<5120x16xf32>, %BC: tensor<1x1x16x?xf32>) -> (tensor<1x5120x?xf32>, tensor<1x5120x16xf32>) {
  %y, %s = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<1x5120x?xf32>, tensor<1x5120x?xf32>, tensor<5120x16xf32>, tensor<1x1x16x?xf32>, tensor<1x1x16x?xf32>) -> (tensor<1x5120x?xf32>, tensor<1x5120x16xf32>)
  return %y, %s : tensor<1x5120x?xf32>, tensor<1x5120x16xf32>
}

// Constant (D, N) B and C: no group constraint, nothing staged; f16.
// OVR-LABEL: func.func @constant_bc_f16
// OVR: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 4>
func.func @constant_bc_f16(%u: tensor<2x768x?xf16>, %A: tensor<768x16xf32>) -> tensor<2x768x?xf16> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x768x?xf16>, tensor<2x768x?xf16>, tensor<768x16xf32>, tensor<768x16xf32>, tensor<768x16xf32>) -> tensor<2x768x?xf16>
  return %y : tensor<2x768x?xf16>
}

// d_state = 24: n_tile = 8 divides it.
// OVR-LABEL: func.func @d_state_24
// OVR: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 4>
func.func @d_state_24(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x24xf32>, %BC: tensor<?x1x24x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x24xf32>, tensor<?x1x24x?xbf16>, tensor<?x1x24x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// 384 groups of B leave 4 channels per group: 4 warps of one channel. C is
// per token without groups (rank 3).
// OVR-LABEL: func.func @groups_of_4
// OVR: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 4>
func.func @groups_of_4(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x384x16x?xbf16>, %C: tensor<?x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x384x16x?xbf16>, tensor<?x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// 256 groups of B and C leave 6 channels per group: 4 warps do not divide
// it, 2 do.
// OVR-LABEL: func.func @groups_of_6
// OVR: tile = #mamba.tile<warps = 2, channels_per_warp = 1, items = 8, n_tile = 4>
func.func @groups_of_6(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x256x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x256x16x?xbf16>, tensor<?x256x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// 3 channels per group: one warp of one channel per block.
// OVR-LABEL: func.func @groups_of_3
// OVR: tile = #mamba.tile<warps = 1, channels_per_warp = 1, items = 8, n_tile = 4>
func.func @groups_of_3(%u: tensor<2x96x?xf32>, %A: tensor<96x16xf32>, %BC: tensor<2x32x16x?xf32>) -> tensor<2x96x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<2x96x?xf32>, tensor<2x96x?xf32>, tensor<96x16xf32>, tensor<2x32x16x?xf32>, tensor<2x32x16x?xf32>) -> tensor<2x96x?xf32>
  return %y : tensor<2x96x?xf32>
}

// B and C grouped differently (768 and 3 channels per group): a block stays
// inside a group of both, gcd = 3.
func.func @groups_of_b_and_c(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x2x16x?xbf16>, %C: tensor<?x512x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x2x16x?xbf16>, tensor<?x512x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// D = 100 is a multiple of 4, not of 8: 4 warps.
func.func @channels_100(%u: tensor<1x100x?xf32>, %A: tensor<100x16xf32>) -> tensor<1x100x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<1x100x?xf32>, tensor<1x100x?xf32>, tensor<100x16xf32>, tensor<100x16xf32>, tensor<100x16xf32>) -> tensor<1x100x?xf32>
  return %y : tensor<1x100x?xf32>
}

// D = 98 is even, not a multiple of 4: 2 warps.
func.func @channels_98(%u: tensor<1x98x?xf32>, %A: tensor<98x16xf32>) -> tensor<1x98x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<1x98x?xf32>, tensor<1x98x?xf32>, tensor<98x16xf32>, tensor<98x16xf32>, tensor<98x16xf32>) -> tensor<1x98x?xf32>
  return %y : tensor<1x98x?xf32>
}

// The channel count comes from A when u's is dynamic.
func.func @channels_from_a(%u: tensor<?x?x?xbf16>, %A: tensor<2048x16xf32>) -> tensor<?x?x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<?x?x?xbf16>, tensor<?x?x?xbf16>, tensor<2048x16xf32>, tensor<2048x16xf32>, tensor<2048x16xf32>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}

// An existing tile is kept as written (not replaced by the heuristic); the
// option still overrides the parameters it names.
// OVR-LABEL: func.func @existing_tile_kept
// OVR: tile = #mamba.tile<warps = 8, channels_per_warp = 2, items = 8, n_tile = 4>
// PIPE-LABEL: func.func @existing_tile_kept
// PIPE: tile = #mamba.tile<warps = 1, channels_per_warp = 1, items = 8, n_tile = 16>
func.func @existing_tile_kept(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC {tile = #mamba.tile<warps = 8, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// Other kernel ops are left to their own tile pass.
func.func @other_ops_untouched(%x: tensor<2x64x?xbf16>, %w: tensor<64x4xbf16>) -> tensor<2x64x?xbf16> {
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x?xbf16>, tensor<64x4xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

//--- arch.mlir

// The `arch` option picks the target whose per-block shared memory the
// heuristic sizes items for (the shared lines are CHECK; SM90 is sm_90 and
// sm_90a, SM80 sm_80 and sm_87, SM86 sm_86 and sm_89). Bytes below are
// 2 x (staged x 8 + acts x warps) x 32 x items x element bytes + warps x
// d_state x 4.

// d_state 256 in f32, per-token B and C: 2 x (16 + 8) x 512 x 4 + 4096 =
// 102400 bytes at items 16, two blocks (204800) fit sm_90 only; 53248 at
// items 8, two (106496) fit sm_80, not sm_86; 28672 at items 4.
// SM90-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>
// SM80-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 8>
// SM86-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 4, n_tile = 8>
func.func @d_state_256_f32(%u: tensor<?x1536x?xf32>, %A: tensor<1536x256xf32>, %BC: tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<?x1536x?xf32>, tensor<?x1536x?xf32>, tensor<1536x256xf32>, tensor<?x1x256x?xf32>, tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32>
  return %y : tensor<?x1536x?xf32>
}

// The same with z: 2 x (16 + 12) x 512 x 4 + 4096 = 118784 bytes at items
// 16, and two blocks (237568) exceed even sm_90; 61440 at items 8 (122880
// for two) fit sm_90 and sm_80; sm_86 takes items 4 (32768).
// SM90-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 8>
// SM80-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 8>
// SM86-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 4, n_tile = 8>
func.func @d_state_256_f32_z(%u: tensor<?x1536x?xf32>, %A: tensor<1536x256xf32>, %BC: tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC z(%u) : (tensor<?x1536x?xf32>, tensor<?x1536x?xf32>, tensor<1536x256xf32>, tensor<?x1x256x?xf32>, tensor<?x1x256x?xf32>, tensor<?x1536x?xf32>) -> tensor<?x1536x?xf32>
  return %y : tensor<?x1536x?xf32>
}

// mamba-2.8b in f32 (heuristic.mlir): two blocks of 98560 bytes (197120)
// fit sm_90, not sm_80; 49408 at items 8 fit sm_80 and sm_86 twice.
// SM90-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>
// SM80-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 8>
// SM86-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 8>
func.func @mamba_2_8b_f32(%u: tensor<1x5120x?xf32>, %A: tensor<5120x16xf32>, %BC: tensor<1x1x16x?xf32>) -> tensor<1x5120x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<1x5120x?xf32>, tensor<1x5120x?xf32>, tensor<5120x16xf32>, tensor<1x1x16x?xf32>, tensor<1x1x16x?xf32>) -> tensor<1x5120x?xf32>
  return %y : tensor<1x5120x?xf32>
}

// mamba-130m in bf16 with z (heuristic.mlir): two blocks of 57600 bytes
// (115200) fit sm_90 and sm_80, not sm_86, which takes items 8 (28928).
// SM90-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>
// SM80-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>
// SM86-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 8>
func.func @mamba_130m_bf16_z(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC z(%u) : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<?x1536x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// Constant B and C stage nothing: 2 x 2 x 4 x 512 x 2 + 4 x 16 x 4 = 33024
// bytes at items 16 fit every target twice.
func.func @constant_bc_bf16(%u: tensor<2x768x?xbf16>, %A: tensor<768x16xf32>) -> tensor<2x768x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x768x?xbf16>, tensor<2x768x?xbf16>, tensor<768x16xf32>, tensor<768x16xf32>, tensor<768x16xf32>) -> tensor<2x768x?xbf16>
  return %y : tensor<2x768x?xbf16>
}

// An existing tile is kept whatever the target (mamba-plan-launch checks
// that it fits).
func.func @existing_tile_kept(%u: tensor<?x1536x?xf32>, %A: tensor<1536x256xf32>, %BC: tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>} : (tensor<?x1536x?xf32>, tensor<?x1536x?xf32>, tensor<1536x256xf32>, tensor<?x1x256x?xf32>, tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32>
  return %y : tensor<?x1536x?xf32>
}

//--- by-state.mlir

// An override naming exactly {warps, steps} switches to the state-parallel
// variant (selective_scan_by_state): min(N, 32) lanes per channel, so a
// block of 4 warps covers 8 channels at N = 16 and 4 at N = 64; the shared
// memory is (4 x channels + staged x N) x (steps + 4) f32 rows.
// CUDA: // tile:   #mamba.tile<warps = 4, steps = 64>
// CUDA: // launch: #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 17408
// CUDA: static constexpr int kSteps = 64;
// CUDA: mamba::device::selective_scan_by_state<Config>(p);
func.func @n16(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC z(%u) {delta_softplus} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<?x1536x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// CUDA: // launch: #mamba.launch<grid = [32, ?, 1], block = [128, 1, 1], smem = 4352
func.func @n64_constant_bc(%u: tensor<?x128x?xf32>, %A: tensor<128x64xf32>) -> tensor<?x128x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<?x128x?xf32>, tensor<?x128x?xf32>, tensor<128x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>) -> tensor<?x128x?xf32>
  return %y : tensor<?x128x?xf32>
}
