func.func @rms_norm_residual_shape(%x: tensor<4x768xbf16>, %w: tensor<768xbf16>, %r: tensor<2x768xf32>) {
  // expected-error @+1 {{expects 'residual' of shape (x, x) = (4, 768), got (2, 768) (dim 0, x, differs)}}
  %y = mamba.rms_norm %x, %w residual(%r) : (tensor<4x768xbf16>, tensor<768xbf16>, tensor<2x768xf32>) -> tensor<4x768xbf16>
  return
}
