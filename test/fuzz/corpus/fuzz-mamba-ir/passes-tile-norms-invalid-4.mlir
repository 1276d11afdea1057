func.func @missing_parameter(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile lacks parameter 'items'}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 96>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
