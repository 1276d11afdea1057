func.func @selective_state_update_indices_i64(%s: tensor<8x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %idx: tensor<2xi64>) {
  // expected-error @+1 {{operand #6 must be ranked tensor of 32-bit signless integer values, but got 'tensor<2xi64>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B state_indices(%idx) : (tensor<8x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>, tensor<2xi64>) -> (tensor<2x64xf32>, tensor<8x64x16xf32>)
  return
}
