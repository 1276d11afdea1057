// The skip term on the left of the add, and a scan with last_state.
func.func @scan_skip_commuted(%u: tensor<2x64x?xf32>, %dt: tensor<2x64x?xf32>, %A: tensor<64x16xf32>, %D: tensor<64xf32>) -> (tensor<2x64x?xf32>, tensor<2x64x16xf32>) {
  %y, %ls = mamba.selective_scan %u, %dt, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> (tensor<2x64x?xf32>, tensor<2x64x16xf32>)
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xf32>, tensor<64xf32>) -> tensor<2x64x?xf32>
  %r = arith.addf %du, %y : tensor<2x64x?xf32>
  return %r, %ls : tensor<2x64x?xf32>, tensor<2x64x16xf32>
}
