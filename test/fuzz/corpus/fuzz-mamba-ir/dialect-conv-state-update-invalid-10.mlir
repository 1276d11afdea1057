func.func @conv_bias_shape(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %conv_bias: tensor<190xbf16>) {
  // expected-error @+1 {{expects 'conv_bias' of shape (Dc) = (192), got (190) (dim 0, Dc, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A conv_bias(%conv_bias) {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>, tensor<190xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}
