func.func @causal_conv1d_x_i8(%x: tensor<2x64x8xi8>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x64x8xi8>'}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xi8>, tensor<64x4xf32>) -> tensor<2x64x8xi8>
  return
}
