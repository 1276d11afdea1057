func.func @selective_state_update_dstate_multiple(%s: tensor<2x64x20xf32>, %x: tensor<2x64xf32>, %A: tensor<64x20xf32>, %B: tensor<2x20xf32>) {
  // expected-error @+1 {{expects d_state to be a multiple of 8 in [8, 256], got 20}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x20xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x20xf32>, tensor<2x20xf32>, tensor<2x20xf32>) -> (tensor<2x64xf32>, tensor<2x64x20xf32>)
  return
}
