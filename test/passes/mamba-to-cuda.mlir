// RUN: mamba-opt %s --split-input-file --mamba-to-cuda | FileCheck %s --check-prefixes=CHECK,SM90
// RUN: mamba-opt %s --split-input-file --mamba-to-cuda="arch=sm_90" | FileCheck %s --check-prefixes=CHECK,SM90
// RUN: mamba-opt %s --split-input-file --mamba-to-cuda="arch=sm_80" | FileCheck %s --check-prefixes=CHECK,SM80
// RUN: mamba-opt %s --split-input-file --mamba-to-cuda="arch=sm_86" | FileCheck %s --check-prefixes=CHECK,SM86

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
// CHECK-LABEL: func.func @mamba1_mixer
// CHECK-SAME: (%[[X:[a-zA-Z0-9_]+]]: tensor<?x1536x?xbf16>, %[[Z:[a-zA-Z0-9_]+]]: tensor<?x1536x?xbf16>, %[[CW:[a-zA-Z0-9_]+]]: tensor<1536x4xbf16>, %[[CB:[a-zA-Z0-9_]+]]: tensor<1536xbf16>, %[[DTR:[a-zA-Z0-9_]+]]: tensor<?x1536x?xbf16>, %[[DB:[a-zA-Z0-9_]+]]: tensor<1536xf32>, %[[A:[a-zA-Z0-9_]+]]: tensor<1536x16xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<?x1x16x?xbf16>, %[[C:[a-zA-Z0-9_]+]]: tensor<?x1x16x?xbf16>, %[[D:[a-zA-Z0-9_]+]]: tensor<1536xf32>)
// CHECK-NEXT: %[[XC:.*]] = mamba.causal_conv1d %[[X]], %[[CW]] bias(%[[CB]])
// CHECK-SAME: activation = #mamba<activation silu>
// CHECK-SAME: kernel = "{{mamba_causal_conv1d_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [?, 384, ?], block = [128, 1, 1], smem = 5180, regs = 128>
// CHECK-SAME: tile = #mamba.tile<l_tile = 256, c_tile = 4, threads = 128>
// CHECK-NEXT: %[[Y:.*]] = mamba.selective_scan %[[XC]], %[[DTR]], %[[A]], %[[B]], %[[C]] D(%[[D]]) z(%[[Z]]) delta_bias(%[[DB]])
// CHECK-SAME: delta_softplus
// CHECK-SAME: kernel = "{{mamba_selective_scan_bf16_[0-9a-f]+}}"
// SM90-SAME: launch = #mamba.launch<grid = [384, ?, 1], block = [128, 1, 1], smem = 57600, regs = 255>
// SM90-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>
// SM80-SAME: launch = #mamba.launch<grid = [384, ?, 1], block = [128, 1, 1], smem = 57600, regs = 255>
// SM80-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>
// SM86-SAME: launch = #mamba.launch<grid = [384, ?, 1], block = [128, 1, 1], smem = 28928, regs = 128>
// SM86-SAME: tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 8>
// CHECK-NEXT: return %[[Y]]
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

// -----

// The residual block around a mixer: prenorm with the f32 residual stream,
// in_proj and out_proj as library calls; a leftover silu gets its own
// pointwise kernel.
// CHECK-LABEL: func.func @residual_block
// CHECK: %[[N:.*]], %[[R:.*]] = mamba.rms_norm
// CHECK-SAME: kernel = "{{mamba_rms_norm_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [?, 1, 1], block = [96, 1, 1], smem = 0, regs = 64>
// CHECK-SAME: tile = #mamba.tile<threads = 96, items = 8>
// CHECK: %[[P:.*]] = mamba.linear %[[N]]
// CHECK-SAME: library = "cublas"
// CHECK-NOT: kernel
// CHECK: %[[S:.*]] = mamba.silu %[[P]]
// CHECK-SAME: kernel = "{{mamba_silu_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>
// CHECK-SAME: tile = #mamba.tile<threads = 256, items = 8>
// CHECK: %[[O:.*]] = mamba.linear %[[S]]
// CHECK-SAME: library = "cublas"
// CHECK: return %[[O]], %[[R]]
func.func @residual_block(%h: tensor<?x?x768xbf16>, %res: tensor<?x?x768xf32>, %norm_w: tensor<768xbf16>, %in_w: tensor<1536x768xbf16>, %out_w: tensor<768x1536xbf16>) -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>) {
  %n, %r = mamba.rms_norm %h, %norm_w residual(%res) : (tensor<?x?x768xbf16>, tensor<768xbf16>, tensor<?x?x768xf32>) -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>)
  %p = mamba.linear %n, %in_w : (tensor<?x?x768xbf16>, tensor<1536x768xbf16>) -> tensor<?x?x1536xbf16>
  %s = mamba.silu %p : tensor<?x?x1536xbf16>
  %o = mamba.linear %s, %out_w : (tensor<?x?x1536xbf16>, tensor<768x1536xbf16>) -> tensor<?x?x768xbf16>
  return %o, %r : tensor<?x?x768xbf16>, tensor<?x?x768xf32>
}

// -----

// The Mamba-1 decode step: conv update + silu, the state update (its
// softplus is a flag the frontend sets) and the gate inside it.
// CHECK-LABEL: func.func @mamba1_decode
// CHECK: %[[XC:.*]], %[[CS:.*]] = mamba.causal_conv1d_update
// CHECK-SAME: activation = #mamba<activation silu>
// CHECK-SAME: kernel = "{{mamba_causal_conv1d_update_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [12, ?, 1], block = [128, 1, 1], smem = 0, regs = 128>
// CHECK-SAME: tile = #mamba.tile<threads = 128>
// CHECK-NEXT: %[[Y:.*]], %[[SS:.*]] = mamba.selective_state_update %{{[a-zA-Z0-9_]+}}, %[[XC]]
// CHECK-SAME: kernel = "{{mamba_selective_state_update_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [48, ?, 1], block = [128, 1, 1], smem = 0, regs = 32>
// CHECK-SAME: tile = #mamba.tile<lanes_per_row = 4, warps = 4>
// CHECK-NEXT: return %[[Y]], %[[CS]], %[[SS]]
func.func @mamba1_decode(%x: tensor<?x1536xbf16>, %conv_state: tensor<?x1536x4xbf16>, %conv_w: tensor<1536x4xbf16>, %ssm_state: tensor<?x1536x16xf32>, %dt: tensor<?x1536xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16xbf16>, %C: tensor<?x1x16xbf16>, %D: tensor<1536xf32>, %z: tensor<?x1536xbf16>, %dt_bias: tensor<1536xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<?x1536x16xf32>) {
  %c, %cs = mamba.causal_conv1d_update %x, %conv_state, %conv_w : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  %xc = mamba.silu %c : tensor<?x1536xbf16>
  %y, %ss = mamba.selective_state_update %ssm_state, %xc, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dt_bias) {dt_softplus} : (tensor<?x1536x16xf32>, tensor<?x1536xbf16>, tensor<?x1536xbf16>, tensor<1536x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>, tensor<1536xf32>, tensor<?x1536xbf16>, tensor<1536xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>)
  return %y, %cs, %ss : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<?x1536x16xf32>
}

// -----

// A Mamba-2 mixer of mamba2-130m (H = 24, P = 64, N = 128) after its
// in_proj: channel-last conv + silu, the reshape to heads, the SSD with
// softplus(dt + dt_bias) and the D skip term, then the gated norm and
// out_proj. Reshapes stay tensor ops. The ssd's 48 blocks fit the SMs one
// each: 16 warps, and two stages (98816 bytes) fit every target.
// CHECK-LABEL: func.func @mamba2_mixer
// CHECK-SAME: (%[[X:[a-zA-Z0-9_]+]]: tensor<1x?x1536xbf16>, %[[Z:[a-zA-Z0-9_]+]]: tensor<1x?x1536xbf16>, %[[CW:[a-zA-Z0-9_]+]]: tensor<1536x4xbf16>, %[[DTR:[a-zA-Z0-9_]+]]: tensor<1x?x24xbf16>, %[[DB:[a-zA-Z0-9_]+]]: tensor<24xf32>, %[[A:[a-zA-Z0-9_]+]]: tensor<24xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<1x?x1x128xbf16>, %[[C:[a-zA-Z0-9_]+]]: tensor<1x?x1x128xbf16>, %[[D:[a-zA-Z0-9_]+]]: tensor<24xf32>, %[[NW:[a-zA-Z0-9_]+]]: tensor<1536xbf16>, %[[OW:[a-zA-Z0-9_]+]]: tensor<768x1536xbf16>)
// CHECK: %[[XC:.*]] = mamba.causal_conv1d %[[X]], %[[CW]]
// CHECK-SAME: activation = #mamba<activation silu>
// CHECK-SAME: kernel = "{{mamba_causal_conv1d_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [?, 24, ?], block = [128, 1, 1], smem = 17420, regs = 128>
// CHECK-SAME: layout = #mamba<layout channel_last>
// CHECK-SAME: tile = #mamba.tile<l_tile = 64, c_tile = 64, threads = 128>
// CHECK: %[[XH:.*]] = tensor.expand_shape %[[XC]]
// CHECK-NOT: mamba.channel_add
// CHECK-NOT: mamba.softplus
// CHECK: %[[Y:.*]] = mamba.ssd %[[XH]], %[[DTR]], %[[A]], %[[B]], %[[C]] D(%[[D]]) dt_bias(%[[DB]])
// CHECK-SAME: dt_softplus
// CHECK-SAME: kernel = "{{mamba_ssd_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [48, ?, 1], block = [512, 1, 1], smem = 98816, regs = 128>
// CHECK-SAME: tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 16, stages = 2, segments = 1>
// CHECK-NOT: mamba.channel_mul
// CHECK-NOT: arith.addf
// CHECK: %[[YF:.*]] = tensor.collapse_shape %[[Y]]
// CHECK: %[[G:.*]] = mamba.gated_rms_norm %[[YF]], %[[NW]] z(%[[Z]])
// CHECK-SAME: kernel = "{{mamba_gated_rms_norm_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [?, 1, 1], block = [192, 1, 1], smem = 0, regs = 64>
// CHECK-SAME: tile = #mamba.tile<threads = 192, items = 8>
// CHECK: %[[O:.*]] = mamba.linear %[[G]], %[[OW]]
// CHECK-SAME: library = "cublas"
// CHECK: return %[[O]]
func.func @mamba2_mixer(%x: tensor<1x?x1536xbf16>, %z: tensor<1x?x1536xbf16>, %conv_w: tensor<1536x4xbf16>, %dt_raw: tensor<1x?x24xbf16>, %dt_bias: tensor<24xf32>, %A: tensor<24xf32>, %B: tensor<1x?x1x128xbf16>, %C: tensor<1x?x1x128xbf16>, %D: tensor<24xf32>, %norm_w: tensor<1536xbf16>, %out_w: tensor<768x1536xbf16>) -> tensor<1x?x768xbf16> {
  %c1 = arith.constant 1 : index
  %conv = mamba.causal_conv1d %x, %conv_w {layout = #mamba<layout channel_last>} : (tensor<1x?x1536xbf16>, tensor<1536x4xbf16>) -> tensor<1x?x1536xbf16>
  %xc = mamba.silu %conv : tensor<1x?x1536xbf16>
  %l = tensor.dim %xc, %c1 : tensor<1x?x1536xbf16>
  %xh = tensor.expand_shape %xc [[0], [1], [2, 3]] output_shape [1, %l, 24, 64] : tensor<1x?x1536xbf16> into tensor<1x?x24x64xbf16>
  %dt_b = mamba.channel_add %dt_raw, %dt_bias {dim = 2 : i64} : (tensor<1x?x24xbf16>, tensor<24xf32>) -> tensor<1x?x24xbf16>
  %dt = mamba.softplus %dt_b : tensor<1x?x24xbf16>
  %y = mamba.ssd %xh, %dt, %A, %B, %C {chunk_size = 256 : i64} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  %dx = mamba.channel_mul %xh, %D {dim = 2 : i64} : (tensor<1x?x24x64xbf16>, tensor<24xf32>) -> tensor<1x?x24x64xbf16>
  %yd = arith.addf %y, %dx : tensor<1x?x24x64xbf16>
  %yf = tensor.collapse_shape %yd [[0], [1], [2, 3]] : tensor<1x?x24x64xbf16> into tensor<1x?x1536xbf16>
  %g = mamba.gated_rms_norm %yf, %norm_w z(%z) {group_size = 1536 : i64} : (tensor<1x?x1536xbf16>, tensor<1536xbf16>, tensor<1x?x1536xbf16>) -> tensor<1x?x1536xbf16>
  %o = mamba.linear %g, %out_w : (tensor<1x?x1536xbf16>, tensor<768x1536xbf16>) -> tensor<1x?x768xbf16>
  return %o : tensor<1x?x768xbf16>
}

// -----

// The Mamba-2 decode step in the head form, with a state pool.
// CHECK-LABEL: func.func @mamba2_decode
// CHECK: mamba.selective_state_update
// CHECK-SAME: kernel = "{{mamba_selective_state_update_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [96, ?, 1], block = [128, 1, 1], smem = 0, regs = 64>
// CHECK-SAME: tile = #mamba.tile<lanes_per_row = 8, warps = 4>
func.func @mamba2_decode(%s: tensor<64x24x64x128xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %B: tensor<?x1x128xbf16>, %C: tensor<?x1x128xbf16>, %D: tensor<24xf32>, %db: tensor<24xf32>, %idx: tensor<?xi32>) -> (tensor<?x24x64xbf16>, tensor<64x24x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C D(%D) dt_bias(%db) state_indices(%idx) {dt_softplus} : (tensor<64x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>, tensor<24xf32>, tensor<24xf32>, tensor<?xi32>) -> (tensor<?x24x64xbf16>, tensor<64x24x64x128xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<64x24x64x128xf32>
}

// -----

// The Mamba-2 decode step as the ModelBuilder writes it (mamba2-130m, Dc =
// 1792): the SiLU folds into the conv update, then mamba-fuse-decode makes
// conv + slices + state update one mamba.conv_state_update, tiled like the
// state update it replaces and planned as one kernel.
// CHECK-LABEL: func.func @mamba2_decode_fused
// CHECK-NOT: mamba.causal_conv1d_update
// CHECK-NOT: mamba.silu
// CHECK: %[[Y:.*]], %[[S1:.*]], %[[CS1:.*]] = mamba.conv_state_update
// CHECK-SAME: b_offset = 1536 : i64, c_offset = 1664 : i64, dt_softplus
// CHECK-SAME: kernel = "{{mamba_conv_state_update_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [96, ?, 1], block = [128, 1, 1], smem = 0, regs = 80>
// CHECK-SAME: ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 8, warps = 4>, x_offset = 0 : i64
// CHECK-NOT: mamba.selective_state_update
// CHECK-NEXT: return %[[Y]], %[[CS1]], %[[S1]]
func.func @mamba2_decode_fused(%xbc: tensor<?x1792xbf16>, %cs: tensor<?x1792x3xbf16>, %w: tensor<1792x4xbf16>, %cb: tensor<1792xbf16>, %s: tensor<?x24x64x128xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %D: tensor<24xf32>, %db: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x1792x3xbf16>, tensor<?x24x64x128xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w bias(%cb) : (tensor<?x1792xbf16>, tensor<?x1792x3xbf16>, tensor<1792x4xbf16>, tensor<1792xbf16>) -> (tensor<?x1792xbf16>, tensor<?x1792x3xbf16>)
  %act = mamba.silu %out : tensor<?x1792xbf16>
  %bt = tensor.dim %act, %c0 : tensor<?x1792xbf16>
  %x = tensor.extract_slice %act[0, 0] [%bt, 1536] [1, 1] : tensor<?x1792xbf16> to tensor<?x1536xbf16>
  %bx = tensor.dim %x, %c0 : tensor<?x1536xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bx, 24, 64] : tensor<?x1536xbf16> into tensor<?x24x64xbf16>
  %b = tensor.extract_slice %act[0, 1536] [%bt, 128] [1, 1] : tensor<?x1792xbf16> to tensor<?x128xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 1, 128] : tensor<?x128xbf16> into tensor<?x1x128xbf16>
  %c = tensor.extract_slice %act[0, 1664] [%bt, 128] [1, 1] : tensor<?x1792xbf16> to tensor<?x128xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 1, 128] : tensor<?x128xbf16> into tensor<?x1x128xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch D(%D) dt_bias(%db) {dt_softplus} : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>, tensor<24xf32>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %cs1, %s1 : tensor<?x24x64xbf16>, tensor<?x1792x3xbf16>, tensor<?x24x64x128xf32>
}

// -----

// The Mamba-1 decode step of mamba-130m (dt_rank 48): dt_proj(x_proj(x)[:, :48])
// folds into the state update, which computes the 1536 dot products itself;
// the conv update, x_proj and out_proj stay.
// CHECK-LABEL: func.func @mamba1_decode_dt_proj
// CHECK-SAME: %[[DTP:[a-zA-Z0-9_]+]]: tensor<1536x48xbf16>
// CHECK: %[[XC:.*]], %[[CS:.*]] = mamba.causal_conv1d_update
// CHECK: mamba.linear %[[XC]]
// CHECK: %[[LO:.*]] = tensor.extract_slice
// CHECK-NOT: mamba.linear
// CHECK: %[[Y:.*]], %[[SS:.*]] = mamba.selective_state_update %{{[a-zA-Z0-9_]+}}, %[[XC]], %[[LO]]
// CHECK-SAME: dt_proj(%[[DTP]])
// CHECK-SAME: kernel = "{{mamba_selective_state_update_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [48, ?, 1], block = [128, 1, 1], smem = 0, regs = 48>
// CHECK-SAME: tile = #mamba.tile<lanes_per_row = 4, warps = 4>
// CHECK-NEXT: return %[[Y]], %[[CS]], %[[SS]]
func.func @mamba1_decode_dt_proj(%x: tensor<?x1536xbf16>, %conv_state: tensor<?x1536x3xbf16>, %conv_w: tensor<1536x4xbf16>, %x_proj: tensor<80x1536xbf16>, %dt_proj: tensor<1536x48xbf16>, %ssm_state: tensor<?x1536x16xf32>, %A: tensor<1536x16xf32>, %D: tensor<1536xf32>, %z: tensor<?x1536xbf16>, %dt_bias: tensor<1536xf32>) -> (tensor<?x1536xbf16>, tensor<?x1536x3xbf16>, tensor<?x1536x16xf32>) {
  %c0 = arith.constant 0 : index
  %c, %cs = mamba.causal_conv1d_update %x, %conv_state, %conv_w : (tensor<?x1536xbf16>, tensor<?x1536x3xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x3xbf16>)
  %xc = mamba.silu %c : tensor<?x1536xbf16>
  %xdbl = mamba.linear %xc, %x_proj : (tensor<?x1536xbf16>, tensor<80x1536xbf16>) -> tensor<?x80xbf16>
  %bt = tensor.dim %xdbl, %c0 : tensor<?x80xbf16>
  %lo = tensor.extract_slice %xdbl[0, 0] [%bt, 48] [1, 1] : tensor<?x80xbf16> to tensor<?x48xbf16>
  %B = tensor.extract_slice %xdbl[0, 48] [%bt, 16] [1, 1] : tensor<?x80xbf16> to tensor<?x16xbf16>
  %C = tensor.extract_slice %xdbl[0, 64] [%bt, 16] [1, 1] : tensor<?x80xbf16> to tensor<?x16xbf16>
  %dt = mamba.linear %lo, %dt_proj : (tensor<?x48xbf16>, tensor<1536x48xbf16>) -> tensor<?x1536xbf16>
  %y, %ss = mamba.selective_state_update %ssm_state, %xc, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dt_bias) {dt_softplus} : (tensor<?x1536x16xf32>, tensor<?x1536xbf16>, tensor<?x1536xbf16>, tensor<1536x16xf32>, tensor<?x16xbf16>, tensor<?x16xbf16>, tensor<1536xf32>, tensor<?x1536xbf16>, tensor<1536xf32>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>)
  return %y, %cs, %ss : tensor<?x1536xbf16>, tensor<?x1536x3xbf16>, tensor<?x1536x16xf32>
}

// -----

// The embedding of the token ids.
// CHECK-LABEL: func.func @embedding
// CHECK: mamba.embedding
// CHECK-SAME: kernel = "{{mamba_embedding_bf16_[0-9a-f]+}}"
// CHECK-SAME: launch = #mamba.launch<grid = [?, 1, 1], block = [128, 1, 1], smem = 0, regs = 32>
// CHECK-SAME: tile = #mamba.tile<threads = 128, items = 8>
func.func @embedding(%ids: tensor<?x?xi32>, %table: tensor<50280x768xbf16>) -> tensor<?x?x768xbf16> {
  %h = mamba.embedding %ids, %table : (tensor<?x?xi32>, tensor<50280x768xbf16>) -> tensor<?x?x768xbf16>
  return %h : tensor<?x?x768xbf16>
}
