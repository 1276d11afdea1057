func.func @too_many_threads_norm(%x: tensor<?x4096xbf16>, %w: tensor<4096xbf16>) -> tensor<?x4096xbf16> {
  // expected-error @+1 {{'mamba.rms_norm' op tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 2048}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 2048, items = 2>} : (tensor<?x4096xbf16>, tensor<4096xbf16>) -> tensor<?x4096xbf16>
  return %y : tensor<?x4096xbf16>
}
