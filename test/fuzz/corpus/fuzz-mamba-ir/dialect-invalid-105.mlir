func.func @selective_state_update_indices_shape(%s: tensor<8x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %idx: tensor<2x1xi32>) {
  // expected-error @+1 {{expects 'state_indices' of rank 1 (Bt), got rank 2 (2, 1)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B state_indices(%idx) : (tensor<8x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>, tensor<2x1xi32>) -> (tensor<2x64xf32>, tensor<8x64x16xf32>)
  return
}
