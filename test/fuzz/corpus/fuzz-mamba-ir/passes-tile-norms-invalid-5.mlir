func.func @threads_not_warp_multiple(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.rms_norm' op tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 48}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 48, items = 16>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
