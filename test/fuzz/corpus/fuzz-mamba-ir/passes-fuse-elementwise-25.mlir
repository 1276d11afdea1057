// Negative: a vector along L (dim 2) is not the skip parameter D.
func.func @scan_skip_wrong_dim(%u: tensor<2x64x64xbf16>, %dt: tensor<2x64x64xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x64xbf16>, %w: tensor<64xf32>) -> tensor<2x64x64xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x64xbf16>, tensor<2x64x64xbf16>, tensor<64x16xf32>, tensor<2x1x16x64xbf16>, tensor<2x1x16x64xbf16>) -> tensor<2x64x64xbf16>
  %du = mamba.channel_mul %u, %w {dim = 2 : i64} : (tensor<2x64x64xbf16>, tensor<64xf32>) -> tensor<2x64x64xbf16>
  %r = arith.addf %y, %du : tensor<2x64x64xbf16>
  return %r : tensor<2x64x64xbf16>
}
