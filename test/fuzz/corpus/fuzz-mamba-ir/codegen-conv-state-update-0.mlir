// The CUDA text of mamba.conv_state_update kernels (the fused Mamba-2 decode
// step of mamba-fuse-decode): the header comment, the device header, the
// Config that encodes the specialisation (the conv's width, state length and
// channel count, the column offsets of x, B and C, the state update's
// options), the launch bounds and the signature.

// mamba2-130m decode: H = 24, P = 64, N = 128, one group, Dc = 1792 (x at 0,
// B at 1536, C at 1664), bf16 activations and conv, f32 state, conv bias,
// D per head, dt_bias and softplus: 8 lanes of 16 values, 4 warps.
func.func @mamba2_130m(%x: tensor<?x1792xbf16>, %cs: tensor<?x1792x3xbf16>, %w: tensor<1792x4xbf16>, %s: tensor<?x24x64x128xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %cb: tensor<1792xbf16>, %D: tensor<24xf32>, %db: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>, tensor<?x1792x3xbf16>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A conv_bias(%cb) D(%D) dt_bias(%db) {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1664 : i64, ngroups = 1 : i64, dt_softplus} : (tensor<?x1792xbf16>, tensor<?x1792x3xbf16>, tensor<1792x4xbf16>, tensor<?x24x64x128xf32>, tensor<?x24xbf16>, tensor<24xf32>, tensor<1792xbf16>, tensor<24xf32>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>, tensor<?x1792x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>, tensor<?x1792x3xbf16>
}

// f16 activations with an f32 conv weight and no conv bias, d_conv 3 and a
// conv state of K = 5, a bf16 state pool (state_indices), z, a per-channel
// (H, P) D, a bf16 dt_bias, the dt limits without softplus, 2 groups and the
// columns in the order C, x, B. N = 16 with a bf16 state is 2 vectors: 2
// lanes a row, 64 rows a block, so one block covers a head's 32 rows.
func.func @all_options(%x: tensor<?x192xf16>, %cs: tensor<16x192x5xf16>, %w: tensor<192x3xf32>, %s: tensor<16x4x32x16xbf16>, %dt: tensor<?x4xf16>, %A: tensor<4xf32>, %D: tensor<4x32xf32>, %z: tensor<?x4x32xf16>, %db: tensor<4xbf16>, %idx: tensor<?xi32>) -> (tensor<?x4x32xf16>, tensor<16x4x32x16xbf16>, tensor<16x192x5xf16>) {
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A D(%D) z(%z) dt_bias(%db) state_indices(%idx) {x_offset = 32 : i64, b_offset = 160 : i64, c_offset = 0 : i64, ngroups = 2 : i64, dt_min = 0.001 : f64, dt_max = 0.1 : f64} : (tensor<?x192xf16>, tensor<16x192x5xf16>, tensor<192x3xf32>, tensor<16x4x32x16xbf16>, tensor<?x4xf16>, tensor<4xf32>, tensor<4x32xf32>, tensor<?x4x32xf16>, tensor<4xbf16>, tensor<?xi32>) -> (tensor<?x4x32xf16>, tensor<16x4x32x16xbf16>, tensor<16x192x5xf16>)
  return %y, %s1, %cs1 : tensor<?x4x32xf16>, tensor<16x4x32x16xbf16>, tensor<16x192x5xf16>
}
