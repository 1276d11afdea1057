func.func @missing_parameter(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile lacks parameter 'threads'}}
  %y = mamba.silu %x {tile = #mamba.tile<items = 8>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
