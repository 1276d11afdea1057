// The Mamba-1 decode step of mamba-130m (dt_rank 48): dt_proj(x_proj(x)[:, :48])
// folds into the state update, which computes the 1536 dot products itself;
// the conv update, x_proj and out_proj stay.
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
