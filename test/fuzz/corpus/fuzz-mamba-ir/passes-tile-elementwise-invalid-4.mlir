func.func @unknown_parameter(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile has unknown parameter 'warps' (expected: threads, items)}}
  %y = mamba.silu %x {tile = #mamba.tile<threads = 256, items = 8, warps = 8>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
