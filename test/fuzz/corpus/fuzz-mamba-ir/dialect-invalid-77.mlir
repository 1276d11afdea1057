func.func @selective_state_update_dstate_dynamic(%s: tensor<2x64x?xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects d_state to be static}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x?xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x?xf32>)
  return
}
