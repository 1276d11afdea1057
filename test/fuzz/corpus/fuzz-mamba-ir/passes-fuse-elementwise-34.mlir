// Negative: a vector along P (dim 3) is not ssd's D, and a bias along L
// (dim 1) is not dt_bias (the softplus still folds).
func.func @ssd_wrong_dims(%x: tensor<1x24x24x64xbf16>, %dt: tensor<1x24x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x24x1x128xbf16>, %w: tensor<64xf32>, %lb: tensor<24xf32>) -> tensor<1x24x24x64xbf16> {
  %a = mamba.channel_add %dt, %lb {dim = 1 : i64} : (tensor<1x24x24xbf16>, tensor<24xf32>) -> tensor<1x24x24xbf16>
  %sp = mamba.softplus %a : tensor<1x24x24xbf16>
  %y = mamba.ssd %x, %sp, %A, %BC, %BC : (tensor<1x24x24x64xbf16>, tensor<1x24x24xbf16>, tensor<24xf32>, tensor<1x24x1x128xbf16>, tensor<1x24x1x128xbf16>) -> tensor<1x24x24x64xbf16>
  %dx = mamba.channel_mul %x, %w {dim = 3 : i64} : (tensor<1x24x24x64xbf16>, tensor<64xf32>) -> tensor<1x24x24x64xbf16>
  %s = arith.addf %y, %dx : tensor<1x24x24x64xbf16>
  return %s : tensor<1x24x24x64xbf16>
}
