func.func @rms_norm_residual_out_type(%x: tensor<4x768xbf16>, %w: tensor<768xbf16>, %r: tensor<4x768xf32>) {
  // expected-error @+1 {{expects 'residual_out' to have the type of 'residual' ('tensor<4x768xf32>'), got 'tensor<4x768xbf16>'}}
  %y, %r1 = mamba.rms_norm %x, %w residual(%r) : (tensor<4x768xbf16>, tensor<768xbf16>, tensor<4x768xf32>) -> (tensor<4x768xbf16>, tensor<4x768xbf16>)
  return
}

//===----------------------------------------------------------------------===//
// gated_rms_norm
//===----------------------------------------------------------------------===//
