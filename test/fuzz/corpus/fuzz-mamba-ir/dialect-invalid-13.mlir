func.func @causal_conv1d_bias_shape(%x: tensor<2x?x8xf32>, %w: tensor<64x4xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{expects 'bias' of shape (D) = (64), got (32) (dim 0, D, differs)}}
  %y = mamba.causal_conv1d %x, %w bias(%b) : (tensor<2x?x8xf32>, tensor<64x4xf32>, tensor<32xf32>) -> tensor<2x?x8xf32>
  return
}
