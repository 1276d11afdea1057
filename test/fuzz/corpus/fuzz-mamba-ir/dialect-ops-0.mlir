// Round trip of every op of the mamba dialect: each optional operand and
// result present and absent, every attribute (enums, unit, F64, I64, bool)
// with non-default values, default values elided, and the #mamba.tile /
// #mamba.launch attributes attached as discardable attributes.

//===----------------------------------------------------------------------===//
// causal_conv1d
//===----------------------------------------------------------------------===//

func.func @causal_conv1d_minimal(%x: tensor<2x64x?xf32>, %w: tensor<64x4xf32>) -> tensor<2x64x?xf32> {
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x?xf32>, tensor<64x4xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

// Default-valued attributes written out are elided when printed.
func.func @causal_conv1d_explicit_defaults(%x: tensor<?x32x?xf16>, %w: tensor<32x2xf16>) -> tensor<?x32x?xf16> {
  %y = mamba.causal_conv1d %x, %w {activation = #mamba<activation none>, layout = #mamba<layout channel_first>} : (tensor<?x32x?xf16>, tensor<32x2xf16>) -> tensor<?x32x?xf16>
  return %y : tensor<?x32x?xf16>
}

// Every optional operand and the optional result, channel-last (Mamba-2),
// weight and bias in a different float type than x.
func.func @causal_conv1d_all(%x: tensor<?x?x1792xbf16>, %w: tensor<1792x4xf32>, %b: tensor<1792xf32>, %s0: tensor<?x1792x3xbf16>, %seq: tensor<?x?xi32>) -> (tensor<?x?x1792xbf16>, tensor<?x1792x3xbf16>) {
  %y, %fs = mamba.causal_conv1d %x, %w bias(%b) initial_states(%s0) seq_idx(%seq) {activation = #mamba<activation silu>, layout = #mamba<layout channel_last>} : (tensor<?x?x1792xbf16>, tensor<1792x4xf32>, tensor<1792xf32>, tensor<?x1792x3xbf16>, tensor<?x?xi32>) -> (tensor<?x?x1792xbf16>, tensor<?x1792x3xbf16>)
  return %y, %fs : tensor<?x?x1792xbf16>, tensor<?x1792x3xbf16>
}

// A subset of the optional operands (segment sizes 1, 1, 0, 1, 0), the
// optional result present, one enum attribute only.
func.func @causal_conv1d_states_only(%x: tensor<4x128x?xf16>, %w: tensor<128x3xf16>, %s0: tensor<4x128x2xf16>) -> tensor<4x128x2xf16> {
  %y, %fs = mamba.causal_conv1d %x, %w initial_states(%s0) {activation = #mamba<activation silu>} : (tensor<4x128x?xf16>, tensor<128x3xf16>, tensor<4x128x2xf16>) -> (tensor<4x128x?xf16>, tensor<4x128x2xf16>)
  return %fs : tensor<4x128x2xf16>
}

// seq_idx without initial_states, channel-first layout, bias without states.
func.func @causal_conv1d_seq_idx_only(%x: tensor<?x64x?xbf16>, %w: tensor<64x4xbf16>, %b: tensor<64xbf16>, %seq: tensor<?x?xi32>) -> tensor<?x64x?xbf16> {
  %y = mamba.causal_conv1d %x, %w bias(%b) seq_idx(%seq) {layout = #mamba<layout channel_first>} : (tensor<?x64x?xbf16>, tensor<64x4xbf16>, tensor<64xbf16>, tensor<?x?xi32>) -> tensor<?x64x?xbf16>
  return %y : tensor<?x64x?xbf16>
}

//===----------------------------------------------------------------------===//
// causal_conv1d_update
//===----------------------------------------------------------------------===//

func.func @causal_conv1d_update_minimal(%x: tensor<?x64xf32>, %s: tensor<?x64x4xf32>, %w: tensor<64x4xf32>) -> (tensor<?x64xf32>, tensor<?x64x4xf32>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x64xf32>, tensor<?x64x4xf32>, tensor<64x4xf32>) -> (tensor<?x64xf32>, tensor<?x64x4xf32>)
  return %y, %s1 : tensor<?x64xf32>, tensor<?x64x4xf32>
}

// A state pool larger than the batch (state_indices), K = W - 1.
func.func @causal_conv1d_update_all(%x: tensor<?x3072xf16>, %s: tensor<16x3072x3xf16>, %w: tensor<3072x4xbf16>, %b: tensor<3072xbf16>, %idx: tensor<?xi32>) -> (tensor<?x3072xf16>, tensor<16x3072x3xf16>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w bias(%b) state_indices(%idx) {activation = #mamba<activation silu>} : (tensor<?x3072xf16>, tensor<16x3072x3xf16>, tensor<3072x4xbf16>, tensor<3072xbf16>, tensor<?xi32>) -> (tensor<?x3072xf16>, tensor<16x3072x3xf16>)
  return %y, %s1 : tensor<?x3072xf16>, tensor<16x3072x3xf16>
}

// state_indices without bias.
func.func @causal_conv1d_update_indices_only(%x: tensor<?x64xbf16>, %s: tensor<?x64x4xbf16>, %w: tensor<64x2xbf16>, %idx: tensor<?xi32>) -> tensor<?x64xbf16> {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w state_indices(%idx) {activation = #mamba<activation none>} : (tensor<?x64xbf16>, tensor<?x64x4xbf16>, tensor<64x2xbf16>, tensor<?xi32>) -> (tensor<?x64xbf16>, tensor<?x64x4xbf16>)
  return %y : tensor<?x64xbf16>
}

//===----------------------------------------------------------------------===//
// selective_scan
//===----------------------------------------------------------------------===//

// Constant (D, N) B and C, no optional operand, no last_state.
func.func @selective_scan_minimal(%u: tensor<2x64x?xf32>, %dt: tensor<2x64x?xf32>, %A: tensor<64x16xf32>, %B: tensor<64x16xf32>, %C: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  %y = mamba.selective_scan %u, %dt, %A, %B, %C : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

// Per-token grouped B and C, every optional operand, last_state, the unit
// attribute, and the tile/launch plan attached as discardable attributes.
func.func @selective_scan_all(%u: tensor<?x1536x?xbf16>, %dt: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x2x16x?xbf16>, %C: tensor<?x4x16x?xbf16>, %D: tensor<1536xf32>, %z: tensor<?x1536x?xbf16>, %db: tensor<1536xf32>, %s0: tensor<?x1536x16xf32>) -> (tensor<?x1536x?xbf16>, tensor<?x1536x16xf32>) {
  %y, %s = mamba.selective_scan %u, %dt, %A, %B, %C D(%D) z(%z) delta_bias(%db) initial_state(%s0) {delta_softplus, tile = #mamba.tile<threads = 128, items = 16, channels = 2>, launch = #mamba.launch<grid = [?, 40, 1], block = [128, 1, 1], smem = 12288, regs = 128>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x2x16x?xbf16>, tensor<?x4x16x?xbf16>, tensor<1536xf32>, tensor<?x1536x?xbf16>, tensor<1536xf32>, tensor<?x1536x16xf32>) -> (tensor<?x1536x?xbf16>, tensor<?x1536x16xf32>)
  return %y, %s : tensor<?x1536x?xbf16>, tensor<?x1536x16xf32>
}

// Ungrouped per-token B (Bt, N, L) with constant C; D and last_state only.
func.func @selective_scan_rank3_b(%u: tensor<1x?x?xf16>, %A: tensor<1536x256xf32>, %B: tensor<1x256x?xf16>, %C: tensor<1536x256xf32>, %D: tensor<1536xf32>) -> tensor<1x1536x256xf32> {
  %y, %s = mamba.selective_scan %u, %u, %A, %B, %C D(%D) : (tensor<1x?x?xf16>, tensor<1x?x?xf16>, tensor<1536x256xf32>, tensor<1x256x?xf16>, tensor<1536x256xf32>, tensor<1536xf32>) -> (tensor<1x?x?xf16>, tensor<1x1536x256xf32>)
  return %s : tensor<1x1536x256xf32>
}

// z and initial_state without D and delta_bias (non-contiguous segments).
func.func @selective_scan_z_and_state(%u: tensor<2x32x8xf32>, %A: tensor<32x8xf32>, %BC: tensor<2x1x8x8xf32>, %s0: tensor<2x32x8xf32>) -> tensor<2x32x8xf32> {
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC z(%u) initial_state(%s0) : (tensor<2x32x8xf32>, tensor<2x32x8xf32>, tensor<32x8xf32>, tensor<2x1x8x8xf32>, tensor<2x1x8x8xf32>, tensor<2x32x8xf32>, tensor<2x32x8xf32>) -> tensor<2x32x8xf32>
  return %y : tensor<2x32x8xf32>
}

// delta_bias alone.
func.func @selective_scan_delta_bias_only(%u: tensor<2x32x8xf32>, %A: tensor<32x8xf32>, %db: tensor<32xf32>) -> tensor<2x32x8xf32> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A delta_bias(%db) {delta_softplus} : (tensor<2x32x8xf32>, tensor<2x32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32x8xf32>, tensor<32xf32>) -> tensor<2x32x8xf32>
  return %y : tensor<2x32x8xf32>
}

//===----------------------------------------------------------------------===//
// selective_state_update
//===----------------------------------------------------------------------===//

// Mamba-1 form, (Bt, N) B and C, nothing optional, default dt limits.
func.func @selective_state_update_mamba1_minimal(%s: tensor<?x64x16xf32>, %x: tensor<?x64xf16>, %dt: tensor<?x64xf16>, %A: tensor<64x16xf32>, %B: tensor<?x16xf16>, %C: tensor<?x16xf16>) -> (tensor<?x64xf16>, tensor<?x64x16xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C {dt_min = 0.0 : f64} : (tensor<?x64x16xf32>, tensor<?x64xf16>, tensor<?x64xf16>, tensor<64x16xf32>, tensor<?x16xf16>, tensor<?x16xf16>) -> (tensor<?x64xf16>, tensor<?x64x16xf32>)
  return %y, %s1 : tensor<?x64xf16>, tensor<?x64x16xf32>
}

// Mamba-1 form with grouped B/C, every optional operand, a bf16 state pool
// addressed through state_indices, and both dt limits.
func.func @selective_state_update_mamba1_all(%s: tensor<8x64x32xbf16>, %x: tensor<?x64xbf16>, %dt: tensor<?x64xbf16>, %A: tensor<64x32xf32>, %B: tensor<?x2x32xbf16>, %D: tensor<64xf32>, %z: tensor<?x64xbf16>, %db: tensor<64xf32>, %idx: tensor<?xi32>) -> (tensor<?x64xbf16>, tensor<8x64x32xbf16>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) z(%z) dt_bias(%db) state_indices(%idx) {dt_softplus, dt_min = 1.0e-3 : f64, dt_max = 0.1 : f64} : (tensor<8x64x32xbf16>, tensor<?x64xbf16>, tensor<?x64xbf16>, tensor<64x32xf32>, tensor<?x2x32xbf16>, tensor<?x2x32xbf16>, tensor<64xf32>, tensor<?x64xbf16>, tensor<64xf32>, tensor<?xi32>) -> (tensor<?x64xbf16>, tensor<8x64x32xbf16>)
  return %y, %s1 : tensor<?x64xbf16>, tensor<8x64x32xbf16>
}

// Mamba-2 head form, nothing optional.
func.func @selective_state_update_mamba2_minimal(%s: tensor<?x24x64x128xf32>, %x: tensor<?x24x64xf32>, %dt: tensor<?x24xf32>, %A: tensor<24xf32>, %B: tensor<?x1x128xf32>, %C: tensor<?x1x128xf32>) -> (tensor<?x24x64xf32>, tensor<?x24x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C : (tensor<?x24x64x128xf32>, tensor<?x24x64xf32>, tensor<?x24xf32>, tensor<24xf32>, tensor<?x1x128xf32>, tensor<?x1x128xf32>) -> (tensor<?x24x64xf32>, tensor<?x24x64x128xf32>)
  return %y, %s1 : tensor<?x24x64xf32>, tensor<?x24x64x128xf32>
}

// Mamba-2 head form, every optional operand, D of shape (H, P), 8 groups.
func.func @selective_state_update_mamba2_all(%s: tensor<?x16x32x64xf16>, %x: tensor<?x16x32xbf16>, %dt: tensor<?x16xf32>, %A: tensor<16xf32>, %B: tensor<?x8x64xbf16>, %C: tensor<?x8x64xbf16>, %D: tensor<16x32xbf16>, %z: tensor<?x16x32xbf16>, %db: tensor<16xbf16>, %idx: tensor<?xi32>) -> (tensor<?x16x32xbf16>, tensor<?x16x32x64xf16>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%db) state_indices(%idx) {dt_softplus, dt_min = 0.5 : f64, dt_max = 16.0 : f64, tile = #mamba.tile<>, launch = #mamba.launch<grid = [?, 16, 1], block = [64, 1, 1], smem = 0, regs = 0>} : (tensor<?x16x32x64xf16>, tensor<?x16x32xbf16>, tensor<?x16xf32>, tensor<16xf32>, tensor<?x8x64xbf16>, tensor<?x8x64xbf16>, tensor<16x32xbf16>, tensor<?x16x32xbf16>, tensor<16xbf16>, tensor<?xi32>) -> (tensor<?x16x32xbf16>, tensor<?x16x32x64xf16>)
  return %y, %s1 : tensor<?x16x32xbf16>, tensor<?x16x32x64xf16>
}

// Mamba-2 head form with a per-head D (H) and dt_bias only.
func.func @selective_state_update_mamba2_per_head_d(%s: tensor<4x8x128x16xf32>, %x: tensor<4x8x128xf16>, %dt: tensor<4x8xf16>, %A: tensor<8xf32>, %B: tensor<4x2x16xf16>, %D: tensor<8xf32>) -> tensor<4x8x128xf16> {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) dt_bias(%D) {dt_max = 1.0 : f64} : (tensor<4x8x128x16xf32>, tensor<4x8x128xf16>, tensor<4x8xf16>, tensor<8xf32>, tensor<4x2x16xf16>, tensor<4x2x16xf16>, tensor<8xf32>, tensor<8xf32>) -> (tensor<4x8x128xf16>, tensor<4x8x128x16xf32>)
  return %y : tensor<4x8x128xf16>
}

// Mamba-1 form with the dt_proj linear folded in: dt is the low-rank input.
func.func @selective_state_update_mamba1_dt_proj(%s: tensor<?x64x16xf32>, %x: tensor<?x64xbf16>, %lo: tensor<?x4xbf16>, %A: tensor<64x16xf32>, %B: tensor<?x16xbf16>, %w: tensor<64x4xbf16>, %db: tensor<64xf32>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %lo, %A, %B, %B dt_bias(%db) dt_proj(%w) {dt_softplus} : (tensor<?x64x16xf32>, tensor<?x64xbf16>, tensor<?x4xbf16>, tensor<64x16xf32>, tensor<?x16xbf16>, tensor<?x16xbf16>, tensor<64xf32>, tensor<64x4xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>)
  return %y, %s1 : tensor<?x64xbf16>, tensor<?x64x16xf32>
}

//===----------------------------------------------------------------------===//
// conv_state_update
//===----------------------------------------------------------------------===//

// Nothing optional, default dt limits: H = 4, P = 32, G = 2, N = 16,
// Dc = 192.
func.func @conv_state_update_minimal(%x: tensor<?x192xf32>, %cs: tensor<?x192x3xf32>, %w: tensor<192x4xf32>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xf32>, %A: tensor<4xf32>) -> (tensor<?x4x32xf32>, tensor<?x4x32x16xf32>, tensor<?x192x3xf32>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64, dt_min = 0.0 : f64} : (tensor<?x192xf32>, tensor<?x192x3xf32>, tensor<192x4xf32>, tensor<?x4x32x16xf32>, tensor<?x4xf32>, tensor<4xf32>) -> (tensor<?x4x32xf32>, tensor<?x4x32x16xf32>, tensor<?x192x3xf32>)
  return %y, %s1, %cs1 : tensor<?x4x32xf32>, tensor<?x4x32x16xf32>, tensor<?x192x3xf32>
}

// Every optional operand, a (H, P) D, a bf16 state pool and a longer conv
// state (K = 5, d_conv 3), the columns in the order C, B, x, both dt limits.
func.func @conv_state_update_all(%x: tensor<?x192xbf16>, %cs: tensor<8x192x5xbf16>, %w: tensor<192x3xf32>, %s: tensor<8x4x32x16xbf16>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %cb: tensor<192xf32>, %D: tensor<4x32xf32>, %z: tensor<?x4x32xbf16>, %db: tensor<4xf32>, %idx: tensor<?xi32>) -> (tensor<?x4x32xbf16>, tensor<8x4x32x16xbf16>, tensor<8x192x5xbf16>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A conv_bias(%cb) D(%D) z(%z) dt_bias(%db) state_indices(%idx) {x_offset = 64 : i64, b_offset = 32 : i64, c_offset = 0 : i64, ngroups = 2 : i64, dt_softplus, dt_min = 1.0e-3 : f64, dt_max = 0.1 : f64} : (tensor<?x192xbf16>, tensor<8x192x5xbf16>, tensor<192x3xf32>, tensor<8x4x32x16xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<192xf32>, tensor<4x32xf32>, tensor<?x4x32xbf16>, tensor<4xf32>, tensor<?xi32>) -> (tensor<?x4x32xbf16>, tensor<8x4x32x16xbf16>, tensor<8x192x5xbf16>)
  return %y, %s1, %cs1 : tensor<?x4x32xbf16>, tensor<8x4x32x16xbf16>, tensor<8x192x5xbf16>
}

//===----------------------------------------------------------------------===//
// ssd
//===----------------------------------------------------------------------===//

// Nothing optional, no final_states, default chunk_size and dt limits.
func.func @ssd_minimal(%x: tensor<?x?x24x64xf32>, %dt: tensor<?x?x24xf32>, %A: tensor<24xf32>, %B: tensor<?x?x1x128xf32>, %C: tensor<?x?x1x128xf32>) -> tensor<?x?x24x64xf32> {
  %y = mamba.ssd %x, %dt, %A, %B, %C {chunk_size = 256 : i64} : (tensor<?x?x24x64xf32>, tensor<?x?x24xf32>, tensor<24xf32>, tensor<?x?x1x128xf32>, tensor<?x?x1x128xf32>) -> tensor<?x?x24x64xf32>
  return %y : tensor<?x?x24x64xf32>
}

// Every optional operand, final_states, every attribute, D of shape (H, P).
func.func @ssd_all(%x: tensor<?x?x24x64xbf16>, %dt: tensor<?x?x24xbf16>, %A: tensor<24xf32>, %B: tensor<?x?x8x128xbf16>, %C: tensor<?x?x8x128xbf16>, %D: tensor<24x64xf32>, %z: tensor<?x?x24x64xbf16>, %db: tensor<24xbf16>, %s0: tensor<?x24x64x128xf32>, %seq: tensor<?x?xi32>) -> (tensor<?x?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %y, %fs = mamba.ssd %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%db) initial_states(%s0) seq_idx(%seq) {chunk_size = 128 : i64, dt_softplus, dt_min = 1.0e-4 : f64, dt_max = 100.0 : f64, tile = #mamba.tile<chunk = 128, "block-n" = 64, warps = 8>, launch = #mamba.launch<grid = [?, ?, 24], block = [256, 1, 1], smem = 49152, regs = 255>} : (tensor<?x?x24x64xbf16>, tensor<?x?x24xbf16>, tensor<24xf32>, tensor<?x?x8x128xbf16>, tensor<?x?x8x128xbf16>, tensor<24x64xf32>, tensor<?x?x24x64xbf16>, tensor<24xbf16>, tensor<?x24x64x128xf32>, tensor<?x?xi32>) -> (tensor<?x?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %fs : tensor<?x?x24x64xbf16>, tensor<?x24x64x128xf32>
}

// D of shape (H), z and seq_idx only, final_states, the extreme chunk sizes.
func.func @ssd_per_head_d(%x: tensor<2x?x4x32xf16>, %dt: tensor<2x?x4xf16>, %A: tensor<4xf32>, %B: tensor<2x?x2x8xf16>, %seq: tensor<2x?xi32>) -> tensor<2x?x4x32xf16> {
  %y, %fs = mamba.ssd %x, %dt, %A, %B, %B D(%A) z(%x) seq_idx(%seq) {chunk_size = 16 : i64} : (tensor<2x?x4x32xf16>, tensor<2x?x4xf16>, tensor<4xf32>, tensor<2x?x2x8xf16>, tensor<2x?x2x8xf16>, tensor<4xf32>, tensor<2x?x4x32xf16>, tensor<2x?xi32>) -> (tensor<2x?x4x32xf16>, tensor<2x4x32x8xf32>)
  %y2 = mamba.ssd %x, %dt, %A, %B, %B initial_states(%fs) {chunk_size = 1024 : i64} : (tensor<2x?x4x32xf16>, tensor<2x?x4xf16>, tensor<4xf32>, tensor<2x?x2x8xf16>, tensor<2x?x2x8xf16>, tensor<2x4x32x8xf32>) -> tensor<2x?x4x32xf16>
  return %y2 : tensor<2x?x4x32xf16>
}

//===----------------------------------------------------------------------===//
// rms_norm
//===----------------------------------------------------------------------===//

func.func @rms_norm_minimal(%x: tensor<?x?x768xf32>, %w: tensor<768xf32>) -> tensor<?x?x768xf32> {
  %y = mamba.rms_norm %x, %w {eps = 1.0e-5 : f64} : (tensor<?x?x768xf32>, tensor<768xf32>) -> tensor<?x?x768xf32>
  return %y : tensor<?x?x768xf32>
}

// Fused residual add with the f32 residual stream, non-default eps.
func.func @rms_norm_residual(%x: tensor<?x?x768xbf16>, %w: tensor<768xbf16>, %r0: tensor<?x?x768xf32>) -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>) {
  %y, %r = mamba.rms_norm %x, %w residual(%r0) {eps = 1.0e-3 : f64} : (tensor<?x?x768xbf16>, tensor<768xbf16>, tensor<?x?x768xf32>) -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>)
  return %y, %r : tensor<?x?x768xbf16>, tensor<?x?x768xf32>
}

// residual_out without a residual input (first layer), and a residual input
// without residual_out.
func.func @rms_norm_half_residual(%x: tensor<2x16x64xf16>, %w: tensor<64xf16>, %r0: tensor<2x16x64xf16>) -> (tensor<2x16x64xf16>, tensor<2x16x64xf32>) {
  %y, %r = mamba.rms_norm %x, %w : (tensor<2x16x64xf16>, tensor<64xf16>) -> (tensor<2x16x64xf16>, tensor<2x16x64xf32>)
  %y2 = mamba.rms_norm %y, %w residual(%r0) : (tensor<2x16x64xf16>, tensor<64xf16>, tensor<2x16x64xf16>) -> tensor<2x16x64xf16>
  return %y2, %r : tensor<2x16x64xf16>, tensor<2x16x64xf32>
}

//===----------------------------------------------------------------------===//
// gated_rms_norm
//===----------------------------------------------------------------------===//

func.func @gated_rms_norm_minimal(%x: tensor<?x?x1536xbf16>, %w: tensor<1536xbf16>) -> tensor<?x?x1536xbf16> {
  %y = mamba.gated_rms_norm %x, %w {group_size = 0 : i64, norm_before_gate = false} : (tensor<?x?x1536xbf16>, tensor<1536xbf16>) -> tensor<?x?x1536xbf16>
  return %y : tensor<?x?x1536xbf16>
}

// z, every attribute with a non-default value.
func.func @gated_rms_norm_all(%x: tensor<?x?x1536xf16>, %w: tensor<1536xf32>, %z: tensor<?x?x1536xf16>) -> tensor<?x?x1536xf16> {
  %y = mamba.gated_rms_norm %x, %w z(%z) {eps = 1.0e-6 : f64, group_size = 768 : i64, norm_before_gate = true} : (tensor<?x?x1536xf16>, tensor<1536xf32>, tensor<?x?x1536xf16>) -> tensor<?x?x1536xf16>
  return %y : tensor<?x?x1536xf16>
}

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

func.func @linear_minimal(%x: tensor<?x?x768xbf16>, %w: tensor<3072x768xbf16>) -> tensor<?x?x3072xbf16> {
  %y = mamba.linear %x, %w : (tensor<?x?x768xbf16>, tensor<3072x768xbf16>) -> tensor<?x?x3072xbf16>
  return %y : tensor<?x?x3072xbf16>
}

func.func @linear_all(%x: tensor<?x64xf32>, %w: tensor<32x64xf32>, %b: tensor<32xf32>, %r: tensor<?x32xf32>) -> tensor<?x32xf32> {
  %y = mamba.linear %x, %w bias(%b) residual(%r) : (tensor<?x64xf32>, tensor<32x64xf32>, tensor<32xf32>, tensor<?x32xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}

// bias alone, residual alone, a rank-1 x.
func.func @linear_one_of_each(%x: tensor<64xf16>, %w: tensor<32x64xf16>, %b: tensor<32xf16>) -> tensor<32xf16> {
  %y = mamba.linear %x, %w bias(%b) : (tensor<64xf16>, tensor<32x64xf16>, tensor<32xf16>) -> tensor<32xf16>
  %y2 = mamba.linear %x, %w residual(%y) : (tensor<64xf16>, tensor<32x64xf16>, tensor<32xf16>) -> tensor<32xf16>
  return %y2 : tensor<32xf16>
}

//===----------------------------------------------------------------------===//
// embedding
//===----------------------------------------------------------------------===//

func.func @embedding(%ids: tensor<?x?xi32>, %ids64: tensor<?xi64>, %table: tensor<50280x768xbf16>) -> (tensor<?x?x768xbf16>, tensor<?x768xbf16>) {
  %h = mamba.embedding %ids, %table : (tensor<?x?xi32>, tensor<50280x768xbf16>) -> tensor<?x?x768xbf16>
  %h2 = mamba.embedding %ids64, %table : (tensor<?xi64>, tensor<50280x768xbf16>) -> tensor<?x768xbf16>
  return %h, %h2 : tensor<?x?x768xbf16>, tensor<?x768xbf16>
}

//===----------------------------------------------------------------------===//
// argmax
//===----------------------------------------------------------------------===//

func.func @argmax(%l: tensor<?x50280xf16>, %m: tensor<2x?x?xf32>) -> (tensor<?xi32>, tensor<2x?xi32>) {
  %a = mamba.argmax %l : (tensor<?x50280xf16>) -> tensor<?xi32>
  %b = mamba.argmax %m : (tensor<2x?x?xf32>) -> tensor<2x?xi32>
  return %a, %b : tensor<?xi32>, tensor<2x?xi32>
}

//===----------------------------------------------------------------------===//
// silu, softplus
//===----------------------------------------------------------------------===//

func.func @unary(%x: tensor<?x?x64xf32>, %h: tensor<2x?xf16>, %bf: tensor<?xbf16>) -> (tensor<?x?x64xf32>, tensor<2x?xf16>, tensor<?xbf16>) {
  %a = mamba.silu %x : tensor<?x?x64xf32>
  %b = mamba.softplus %a : tensor<?x?x64xf32>
  %c = mamba.silu %h : tensor<2x?xf16>
  %d = mamba.softplus %bf {tile = #mamba.tile<threads = 256>} : tensor<?xbf16>
  return %b, %c, %d : tensor<?x?x64xf32>, tensor<2x?xf16>, tensor<?xbf16>
}

//===----------------------------------------------------------------------===//
// channel_mul, channel_add
//===----------------------------------------------------------------------===//

func.func @channel_ops(%u: tensor<?x1536x?xbf16>, %D: tensor<1536xf32>, %x: tensor<?x?x24x64xf16>, %dhp: tensor<24x64xf16>) -> (tensor<?x1536x?xbf16>, tensor<?x?x24x64xf16>, tensor<?x?x24x64xf16>) {
  %a = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
  %b = mamba.channel_add %a, %D {dim = 1 : i64} : (tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
  %c = mamba.channel_mul %x, %dhp {dim = 2 : i64} : (tensor<?x?x24x64xf16>, tensor<24x64xf16>) -> tensor<?x?x24x64xf16>
  %e = mamba.channel_add %x, %dhp {dim = 2 : i64, launch = #mamba.launch<grid = [?, 1, 1], block = [128, 2, 2], smem = 0, regs = 64>} : (tensor<?x?x24x64xf16>, tensor<24x64xf16>) -> tensor<?x?x24x64xf16>
  return %b, %c, %e : tensor<?x1536x?xbf16>, tensor<?x?x24x64xf16>, tensor<?x?x24x64xf16>
}

//===----------------------------------------------------------------------===//
// The packed form: sequences of different lengths in one row (cu_seqlens),
// a state row per sequence.
//===----------------------------------------------------------------------===//

func.func @packed(%x: tensor<1x?x1792xbf16>, %w: tensor<1792x4xbf16>, %s0: tensor<?x1792x3xbf16>, %cu: tensor<?xi32>,
                  %u: tensor<1x64x?xf32>, %A: tensor<64x16xf32>, %bc: tensor<1x1x16x?xf32>, %h0: tensor<5x64x16xf32>,
                  %xs: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %a2: tensor<24xf32>, %bc2: tensor<1x?x1x128xbf16>, %t0: tensor<?x24x64x128xf32>) {
  %y, %fs = mamba.causal_conv1d %x, %w initial_states(%s0) cu_seqlens(%cu) {layout = #mamba<layout channel_last>} : (tensor<1x?x1792xbf16>, tensor<1792x4xbf16>, tensor<?x1792x3xbf16>, tensor<?xi32>) -> (tensor<1x?x1792xbf16>, tensor<?x1792x3xbf16>)
  %o, %ls = mamba.selective_scan %u, %u, %A, %bc, %bc initial_state(%h0) cu_seqlens(%cu) : (tensor<1x64x?xf32>, tensor<1x64x?xf32>, tensor<64x16xf32>, tensor<1x1x16x?xf32>, tensor<1x1x16x?xf32>, tensor<5x64x16xf32>, tensor<?xi32>) -> (tensor<1x64x?xf32>, tensor<5x64x16xf32>)
  %z, %ts = mamba.ssd %xs, %dt, %a2, %bc2, %bc2 initial_states(%t0) cu_seqlens(%cu) {chunk_size = 64 : i64} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<?x24x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return
}
