func.func @channel_add_w_shape(%x: tensor<?x?x24x64xf16>, %w: tensor<24x32xf16>) {
  // expected-error @+1 {{expects 'w' of shape (x, x) = (24, 64), got (24, 32) (dim 1, x, differs)}}
  %y = mamba.channel_add %x, %w {dim = 2 : i64} : (tensor<?x?x24x64xf16>, tensor<24x32xf16>) -> tensor<?x?x24x64xf16>
  return
}
