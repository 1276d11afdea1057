func.func @row_not_covered(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile covers 32 x 8 columns, fewer than the 768 a block normalises}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 32, items = 8>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
