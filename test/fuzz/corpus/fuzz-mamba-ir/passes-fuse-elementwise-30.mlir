// Negative: z is computed after the scan, so it cannot become its operand.
func.func @scan_gate_defined_after(%u: tensor<2x64x8xf32>, %dt: tensor<2x64x8xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x8xf32> {
  %y = mamba.selective_scan %u, %dt, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  %z = mamba.softplus %u : tensor<2x64x8xf32>
  %g = mamba.silu %z : tensor<2x64x8xf32>
  %r = arith.mulf %y, %g : tensor<2x64x8xf32>
  return %r : tensor<2x64x8xf32>
}
