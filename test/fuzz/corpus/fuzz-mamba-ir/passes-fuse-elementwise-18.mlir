func.func @scan_gate(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %z: tensor<2x64x?xbf16>) -> tensor<2x64x?xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %g = mamba.silu %z : tensor<2x64x?xbf16>
  %r = arith.mulf %g, %y : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}
