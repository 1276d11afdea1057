func.func @rms_norm_y_type(%x: tensor<4x768xbf16>, %w: tensor<768xbf16>) {
  // expected-error @+1 {{expects 'y' to have the type of 'x' ('tensor<4x768xbf16>'), got 'tensor<4x768xf32>'}}
  %y = mamba.rms_norm %x, %w : (tensor<4x768xbf16>, tensor<768xbf16>) -> tensor<4x768xf32>
  return
}
