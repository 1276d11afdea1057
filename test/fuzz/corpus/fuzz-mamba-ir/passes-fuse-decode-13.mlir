// Negative: the projected dt is also returned.
func.func @dt_second_use(%s: tensor<?x64x16xf32>, %x: tensor<?x64xbf16>, %lo: tensor<?x4xbf16>, %w: tensor<64x4xbf16>, %A: tensor<64x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>, tensor<?x64xbf16>) {
  %dt = mamba.linear %lo, %w : (tensor<?x4xbf16>, tensor<64x4xbf16>) -> tensor<?x64xbf16>
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x64x16xf32>, tensor<?x64xbf16>, tensor<?x64xbf16>, tensor<64x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>)
  return %y, %s1, %dt : tensor<?x64xbf16>, tensor<?x64x16xf32>, tensor<?x64xbf16>
}
