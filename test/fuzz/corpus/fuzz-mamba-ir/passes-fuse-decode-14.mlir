// Negative: a linear with its own bias (the fused op has none; dt_bias is
// added after the rounding of the product).
func.func @linear_with_bias(%s: tensor<?x64x16xf32>, %x: tensor<?x64xbf16>, %lo: tensor<?x4xbf16>, %w: tensor<64x4xbf16>, %b: tensor<64xbf16>, %A: tensor<64x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>) {
  %dt = mamba.linear %lo, %w bias(%b) : (tensor<?x4xbf16>, tensor<64x4xbf16>, tensor<64xbf16>) -> tensor<?x64xbf16>
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x64x16xf32>, tensor<?x64xbf16>, tensor<?x64xbf16>, tensor<64x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>)
  return %y, %s1 : tensor<?x64xbf16>, tensor<?x64x16xf32>
}
