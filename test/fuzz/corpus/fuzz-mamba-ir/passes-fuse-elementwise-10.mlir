// Negative for the bias: a vector along L (dim 2) is not delta_bias. The
// softplus around it still folds.
func.func @scan_dt_bias_wrong_dim(%u: tensor<2x64x32xbf16>, %dt: tensor<2x64x32xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x32xbf16>, %lb: tensor<32xf32>) -> tensor<2x64x32xbf16> {
  %a = mamba.channel_add %dt, %lb {dim = 2 : i64} : (tensor<2x64x32xbf16>, tensor<32xf32>) -> tensor<2x64x32xbf16>
  %sp = mamba.softplus %a : tensor<2x64x32xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x32xbf16>, tensor<2x64x32xbf16>, tensor<64x16xf32>, tensor<2x1x16x32xbf16>, tensor<2x1x16x32xbf16>) -> tensor<2x64x32xbf16>
  return %y : tensor<2x64x32xbf16>
}
