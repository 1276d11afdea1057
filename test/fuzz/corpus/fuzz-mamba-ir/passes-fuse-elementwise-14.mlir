// Negative: the scan already has delta_bias; a second bias does not fold.
func.func @scan_dt_already_biased(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %db0: tensor<64xf32>, %db1: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %a = mamba.channel_add %dt, %db1 {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %a, %A, %BC, %BC delta_bias(%db0) : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}
