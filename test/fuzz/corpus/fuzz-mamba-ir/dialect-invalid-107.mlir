func.func @selective_state_update_A_f16(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf16>, %A: tensor<64x16xf16>, %B: tensor<2x16xf16>) {
  // expected-error @+1 {{operand #3 must be ranked tensor of 32-bit float values, but got 'tensor<64x16xf16>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf16>, tensor<2x64xf16>, tensor<64x16xf16>, tensor<2x16xf16>, tensor<2x16xf16>) -> (tensor<2x64xf16>, tensor<2x64x16xf32>)
  return
}
