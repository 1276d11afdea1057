func.func @items_too_many(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile parameter 'items' must be in [1, 64], got 128}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 32, items = 128>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
