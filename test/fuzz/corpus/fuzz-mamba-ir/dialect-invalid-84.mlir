func.func @selective_state_update_m1_x_rank(%s: tensor<2x64x16xf32>, %x: tensor<2x4x16xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'x' of rank 2 (Bt, D) in the Mamba-1 form, got rank 3}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x4x16xf32>, tensor<2x64x16xf32>)
  return
}
