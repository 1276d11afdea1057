// The mamba-to-cuda pipeline on the blocks as a frontend would write them,
// unfused: elementwise prologues and epilogues fold into the SSM ops, every
// kernel op is tiled, planned and named, and mamba.linear becomes a library
// call. The pipeline's `arch` reaches the tile passes: the selective_scan
// heuristic depends on it (16 items when two blocks of them fit the target,
// SM90 and SM80 lines; 8 on sm_86), and so does the ssd one (not for the
// shape here: one block of its plan fits every target); every other plan is
// the same on every arch.

// A Mamba-1 mixer of mamba-130m (D = 1536, N = 16, d_conv = 4) after its
// in_proj and x_proj: conv + silu, softplus(dt + dt_bias), the scan, the
// D skip term and the silu(z) gate. The scan stages B, C, u, delta and z:
// 2 x (2 x 8 + 3 x 4) x 512 x 2 + 4 x 16 x 4 = 57600 bytes at 16 items, and
// two blocks (115200) fit sm_90 and sm_80, not sm_86's 101376: 8 items there
// (28928 bytes; 120 estimated registers, 4 blocks of 128, 128 registers).
// SM90-SAME: launch = #mamba.launch<grid = [384, ?, 1], block = [128, 1, 1], smem = 57600, regs = 255>
// SM90-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>
// SM80-SAME: launch = #mamba.launch<grid = [384, ?, 1], block = [128, 1, 1], smem = 57600, regs = 255>
// SM80-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>
// SM86-SAME: launch = #mamba.launch<grid = [384, ?, 1], block = [128, 1, 1], smem = 28928, regs = 128>
// SM86-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 8>
func.func @mamba1_mixer(%x: tensor<?x1536x?xbf16>, %z: tensor<?x1536x?xbf16>, %conv_w: tensor<1536x4xbf16>, %conv_b: tensor<1536xbf16>, %dt_raw: tensor<?x1536x?xbf16>, %dt_bias: tensor<1536xf32>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>, %C: tensor<?x1x16x?xbf16>, %D: tensor<1536xf32>) -> tensor<?x1536x?xbf16> {
  %conv = mamba.causal_conv1d %x, %conv_w bias(%conv_b) : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>, tensor<1536xbf16>) -> tensor<?x1536x?xbf16>
  %xc = mamba.silu %conv : tensor<?x1536x?xbf16>
  %dt_b = mamba.channel_add %dt_raw, %dt_bias {dim = 1 : i64} : (tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
  %dt = mamba.softplus %dt_b : tensor<?x1536x?xbf16>
  %y = mamba.selective_scan %xc, %dt, %A, %B, %C : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  %du = mamba.channel_mul %xc, %D {dim = 1 : i64} : (tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
  %yd = arith.addf %y, %du : tensor<?x1536x?xbf16>
  %gate = mamba.silu %z : tensor<?x1536x?xbf16>
  %out = arith.mulf %yd, %gate : tensor<?x1536x?xbf16>
  return %out : tensor<?x1536x?xbf16>
}
