func.func @selective_state_update_m1_D_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %D: tensor<32xf32>) {
  // expected-error @+1 {{expects 'D' of shape (D) = (64), got (32) (dim 0, D, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B D(%D) : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>, tensor<32xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
