// A rank-0 x used to crash the verifier (it read x's dim 0 before its rank).
func.func @selective_state_update_m1_x_rank0(%s: tensor<2x64x16xf32>, %x: tensor<f32>, %dt: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'x' of rank 2 (Bt, D) in the Mamba-1 form, got rank 0}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x64x16xf32>, tensor<f32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<f32>, tensor<2x64x16xf32>)
  return
}
