// Negative order: (scan * silu(z)) + D * u. The gate folds; the skip term
// then cannot, since it would land under the gate.
func.func @scan_gate_then_skip(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>, %z: tensor<2x64x?xbf16>) -> tensor<2x64x?xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %g = mamba.silu %z : tensor<2x64x?xbf16>
  %m = arith.mulf %y, %g : tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %r = arith.addf %m, %du : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}
