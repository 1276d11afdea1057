func.func @channel_mul_w_shape(%u: tensor<?x1536x?xbf16>, %w: tensor<768xf32>) {
  // expected-error @+1 {{expects 'w' of shape (x) = (1536), got (768) (dim 0, x, differs)}}
  %y = mamba.channel_mul %u, %w {dim = 1 : i64} : (tensor<?x1536x?xbf16>, tensor<768xf32>) -> tensor<?x1536x?xbf16>
  return
}
