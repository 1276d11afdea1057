func.func @selective_state_update_m1_B_groups_dynamic(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x?x16xf32>) {
  // expected-error @+1 {{expects ngroups to be static}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x?x16xf32>, tensor<2x?x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
