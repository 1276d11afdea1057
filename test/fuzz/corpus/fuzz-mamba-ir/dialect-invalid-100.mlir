// An ungrouped (Bt, N) B has one group.
func.func @selective_state_update_m1_C_groups_ungrouped_B(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %C: tensor<2x2x16xf32>) {
  // expected-error @+1 {{expects 'C' to have the groups of 'B' (1), got 2}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %C : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
