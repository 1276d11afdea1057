func.func @causal_conv1d_update_indices_type(%x: tensor<2x64xf16>, %s: tensor<8x64x4xf16>, %w: tensor<64x4xf16>, %idx: tensor<2xf32>) {
  // expected-error @+1 {{operand #3 must be ranked tensor of 32-bit signless integer values, but got 'tensor<2xf32>'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w state_indices(%idx) : (tensor<2x64xf16>, tensor<8x64x4xf16>, tensor<64x4xf16>, tensor<2xf32>) -> (tensor<2x64xf16>, tensor<8x64x4xf16>)
  return
}
