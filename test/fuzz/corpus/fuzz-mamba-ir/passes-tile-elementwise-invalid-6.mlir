func.func @threads_not_warp_multiple(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 16}}
  %y = mamba.silu %x {tile = #mamba.tile<threads = 16, items = 8>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
