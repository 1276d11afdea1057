func.func @selective_state_update_m1_A_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'A' of rank 2 (D, N), got rank 1 (64)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
