func.func @selective_state_update_m1_B_state(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x8xf32>) {
  // expected-error @+1 {{expects 'B' of shape (Bt, N) = (2, 16), got (2, 8) (dim 1, N, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x8xf32>, tensor<2x8xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
