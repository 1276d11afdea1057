// The residual block around a mixer: prenorm with the f32 residual stream,
// in_proj and out_proj as library calls; a leftover silu gets its own
// pointwise kernel.
func.func @residual_block(%h: tensor<?x?x768xbf16>, %res: tensor<?x?x768xf32>, %norm_w: tensor<768xbf16>, %in_w: tensor<1536x768xbf16>, %out_w: tensor<768x1536xbf16>) -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>) {
  %n, %r = mamba.rms_norm %h, %norm_w residual(%res) : (tensor<?x?x768xbf16>, tensor<768xbf16>, tensor<?x?x768xf32>) -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>)
  %p = mamba.linear %n, %in_w : (tensor<?x?x768xbf16>, tensor<1536x768xbf16>) -> tensor<?x?x1536xbf16>
  %s = mamba.silu %p : tensor<?x?x1536xbf16>
  %o = mamba.linear %s, %out_w : (tensor<?x?x1536xbf16>, tensor<768x1536xbf16>) -> tensor<?x?x768xbf16>
  return %o, %r : tensor<?x?x768xbf16>, tensor<?x?x768xf32>
}
