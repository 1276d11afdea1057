func.func @linear_bias_shape(%x: tensor<?x768xbf16>, %w: tensor<3072x768xbf16>, %b: tensor<768xbf16>) {
  // expected-error @+1 {{expects 'bias' of shape (M) = (3072), got (768) (dim 0, M, differs)}}
  %y = mamba.linear %x, %w bias(%b) : (tensor<?x768xbf16>, tensor<3072x768xbf16>, tensor<768xbf16>) -> tensor<?x3072xbf16>
  return
}
