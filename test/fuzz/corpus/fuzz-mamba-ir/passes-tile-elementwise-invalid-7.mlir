func.func @threads_too_many(%x: tensor<?x768xbf16>, %w: tensor<768xf32>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.channel_mul' op tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 1056}}
  %y = mamba.channel_mul %x, %w {dim = 1 : i64, tile = #mamba.tile<threads = 1056, items = 8>} : (tensor<?x768xbf16>, tensor<768xf32>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
