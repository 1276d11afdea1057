func.func @selective_state_update_m1_state_pool(%s: tensor<4x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'state' of shape (S, D, N) = (2, 64, 16), got (4, 64, 16) (dim 0, S, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<4x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<4x64x16xf32>)
  return
}
