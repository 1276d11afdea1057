// Negative: the scan already has z; neither a skip term nor a second gate
// folds.
func.func @scan_already_has_z(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>, %z0: tensor<2x64x?xbf16>, %z1: tensor<2x64x?xbf16>) -> (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>) {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC z(%z0) : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<2x64x?xbf16>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %s = arith.addf %y, %du : tensor<2x64x?xbf16>
  %y2 = mamba.selective_scan %dt, %u, %A, %BC, %BC z(%z0) : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<2x64x?xbf16>) -> tensor<2x64x?xbf16>
  %g = mamba.silu %z1 : tensor<2x64x?xbf16>
  %m = arith.mulf %y2, %g : tensor<2x64x?xbf16>
  return %s, %m : tensor<2x64x?xbf16>, tensor<2x64x?xbf16>
}
