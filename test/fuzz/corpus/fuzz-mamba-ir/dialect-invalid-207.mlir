func.func @silu_i8(%x: tensor<4xi8>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4xi8>'}}
  %y = mamba.silu %x : tensor<4xi8>
  return
}
