func.func @scan_dt_softplus_only(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16> {
  %sp = mamba.softplus %dt : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}
