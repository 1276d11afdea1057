func.func @scan_skip(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %r = arith.addf %y, %du : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}
