func.func @selective_state_update_m1_B_groups_zero(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x0x16xf32>) {
  // expected-error @+1 {{expects ngroups >= 1, got 0}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x0x16xf32>, tensor<2x0x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
