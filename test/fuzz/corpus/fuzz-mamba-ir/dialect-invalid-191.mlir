func.func @linear_y_batch(%x: tensor<4x768xbf16>, %w: tensor<3072x768xbf16>) {
  // expected-error @+1 {{expects 'y' of shape (x, M) = (4, 3072), got (8, 3072) (dim 0, x, differs)}}
  %y = mamba.linear %x, %w : (tensor<4x768xbf16>, tensor<3072x768xbf16>) -> tensor<8x3072xbf16>
  return
}
