func.func @threads_too_many(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 2048}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 2048, items = 1>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
