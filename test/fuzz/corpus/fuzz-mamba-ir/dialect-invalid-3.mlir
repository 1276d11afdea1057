func.func @causal_conv1d_x_unranked(%x: tensor<*xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<*xf32>'}}
  %y = "mamba.causal_conv1d"(%x, %w) <{operandSegmentSizes = array<i32: 1, 1, 0, 0, 0, 0>}> : (tensor<*xf32>, tensor<64x4xf32>) -> tensor<*xf32>
  return
}
