func.func @selective_state_update_m1_B_grouped_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<3x2x16xf32>) {
  // expected-error @+1 {{expects 'B' of shape (Bt, G, N) = (2, 2, 16), got (3, 2, 16) (dim 0, Bt, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<3x2x16xf32>, tensor<3x2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
