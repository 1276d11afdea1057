// Negative: a (D, L) weight at dim 1 is not a per-channel D; folding it would
// give the scan a rank-2 D.
func.func @scan_skip_rank2_weight(%u: tensor<2x64x8xf32>, %dt: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %w: tensor<64x8xf32>) -> tensor<2x64x8xf32> {
  %y = mamba.selective_scan %u, %dt, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  %du = mamba.channel_mul %u, %w {dim = 1 : i64} : (tensor<2x64x8xf32>, tensor<64x8xf32>) -> tensor<2x64x8xf32>
  %r = arith.addf %y, %du : tensor<2x64x8xf32>
  return %r : tensor<2x64x8xf32>
}
