func.func @rms_norm_residual_out_shape(%x: tensor<4x768xbf16>, %w: tensor<768xbf16>) {
  // expected-error @+1 {{expects 'residual_out' of rank 2 (x, x), got rank 1 (768)}}
  %y, %r = mamba.rms_norm %x, %w : (tensor<4x768xbf16>, tensor<768xbf16>) -> (tensor<4x768xbf16>, tensor<768xf32>)
  return
}
