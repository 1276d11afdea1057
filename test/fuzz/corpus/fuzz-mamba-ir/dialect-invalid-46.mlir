// A rank-0 A used to crash the verifier (it read A's dim 0 before its rank).
func.func @selective_scan_A_rank0(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %A0: tensor<f32>) {
  // expected-error @+1 {{expects 'A' of rank 2 (D, N), got rank 0}}
  %y = mamba.selective_scan %u, %u, %A0, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<f32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}
