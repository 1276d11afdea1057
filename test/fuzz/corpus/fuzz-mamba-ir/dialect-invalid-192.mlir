func.func @linear_y_features(%x: tensor<4x768xbf16>, %w: tensor<3072x768xbf16>) {
  // expected-error @+1 {{expects 'y' of shape (x, M) = (4, 3072), got (4, 768) (dim 1, M, differs)}}
  %y = mamba.linear %x, %w : (tensor<4x768xbf16>, tensor<3072x768xbf16>) -> tensor<4x768xbf16>
  return
}
