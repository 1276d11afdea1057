// The CUDA text of mamba.selective_state_update kernels: the header comment, the device
// header, the Config that encodes the specialisation, the launch bounds and
// the signature.

// mamba-130m decode (Mamba-1 form): one head of D = 1536 channels, f32
// state, bf16 activations, D (always per channel here), z, dt_bias and the
// softplus flag.
func.func @mamba_130m(%s: tensor<?x1536x16xf32>, %x: tensor<?x1536xbf16>, %dt: tensor<?x1536xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16xbf16>, %D: tensor<1536xf32>, %db: tensor<1536xf32>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) z(%x) dt_bias(%db) {dt_softplus} : (tensor<?x1536x16xf32>, tensor<?x1536xbf16>, tensor<?x1536xbf16>, tensor<1536x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>, tensor<1536xf32>, tensor<?x1536xbf16>, tensor<1536xf32>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x16xf32>
}

// mamba2-130m decode (head form): H = 24, P = 64, N = 128, a bf16 state
// pool (state_indices), D per head, a bf16 dt_bias and the dt limits.
func.func @mamba2_130m(%s: tensor<64x24x64x128xbf16>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %B: tensor<?x1x128xbf16>, %D: tensor<24xf32>, %db: tensor<24xbf16>, %idx: tensor<?xi32>) -> (tensor<?x24x64xbf16>, tensor<64x24x64x128xbf16>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) dt_bias(%db) state_indices(%idx) {dt_softplus, dt_min = 0.001 : f64, dt_max = 0.1 : f64} : (tensor<64x24x64x128xbf16>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>, tensor<24xf32>, tensor<24xbf16>, tensor<?xi32>) -> (tensor<?x24x64xbf16>, tensor<64x24x64x128xbf16>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<64x24x64x128xbf16>
}

// Head form in f16 with 4 groups, a per-channel (H, P) D in f32, no
// dt_bias and no softplus: the default limits still clamp dt at 0, so the
// kernel keeps the clamp (kHasDtLimit).
func.func @head_form_d_per_channel(%s: tensor<?x8x32x64xf32>, %x: tensor<?x8x32xf16>, %dt: tensor<?x8xf16>, %A: tensor<8xf32>, %B: tensor<?x4x64xf16>, %D: tensor<8x32xf32>) -> (tensor<?x8x32xf16>, tensor<?x8x32x64xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) : (tensor<?x8x32x64xf32>, tensor<?x8x32xf16>, tensor<?x8xf16>, tensor<8xf32>, tensor<?x4x64xf16>, tensor<?x4x64xf16>, tensor<8x32xf32>) -> (tensor<?x8x32xf16>, tensor<?x8x32x64xf32>)
  return %y, %s1 : tensor<?x8x32xf16>, tensor<?x8x32x64xf32>
}

// mamba-130m decode with the dt_proj linear folded in (mamba-fuse-decode):
// dt is the low-rank input (R = 48, a strided slice of x_proj's output) and
// the kernel computes dt = round(dt_low . dt_proj[c]) per channel, with 16
// more registers a lane than without (48: 10 blocks of 128).
func.func @mamba_130m_dt_proj(%s: tensor<?x1536x16xf32>, %x: tensor<?x1536xbf16>, %xdbl: tensor<?x80xbf16>, %w: tensor<1536x48xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x16xbf16>, %D: tensor<1536xf32>, %db: tensor<1536xf32>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>) {
  %c0 = arith.constant 0 : index
  %bt = tensor.dim %xdbl, %c0 : tensor<?x80xbf16>
  %lo = tensor.extract_slice %xdbl[0, 0] [%bt, 48] [1, 1] : tensor<?x80xbf16> to tensor<?x48xbf16>
  %y, %s1 = mamba.selective_state_update %s, %x, %lo, %A, %B, %B D(%D) z(%x) dt_bias(%db) dt_proj(%w) {dt_softplus} : (tensor<?x1536x16xf32>, tensor<?x1536xbf16>, tensor<?x48xbf16>, tensor<1536x16xf32>, tensor<?x16xbf16>, tensor<?x16xbf16>, tensor<1536xf32>, tensor<?x1536xbf16>, tensor<1536xf32>, tensor<1536x48xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x16xf32>
}
