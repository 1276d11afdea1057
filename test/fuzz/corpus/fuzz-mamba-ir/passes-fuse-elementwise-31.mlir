// Negative: D is computed after the scan.
func.func @scan_skip_defined_after(%u: tensor<2x64x8xf32>, %dt: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %D0: tensor<64xf32>) -> tensor<2x64x8xf32> {
  %y = mamba.selective_scan %u, %dt, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  %D = arith.negf %D0 : tensor<64xf32>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x8xf32>, tensor<64xf32>) -> tensor<2x64x8xf32>
  %r = arith.addf %y, %du : tensor<2x64x8xf32>
  return %r : tensor<2x64x8xf32>
}

//===----------------------------------------------------------------------===//
// ssd (Mamba-2): dt prologue along dim 2, skip term along dim 2, gate
//===----------------------------------------------------------------------===//
