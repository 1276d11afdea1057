// The biased value has a second use: only the softplus folds.
func.func @scan_dt_bias_second_use(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %db: tensor<64xf32>) -> (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>) {
  %a = mamba.channel_add %dt, %db {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %sp = mamba.softplus %a : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y, %a : tensor<2x64x?xbf16>, tensor<2x64x?xbf16>
}
