func.func @causal_conv1d_update_state_length(%x: tensor<2x64xf32>, %s: tensor<2x64x2xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects conv_state length K >= d_conv - 1 = 3, got 2}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<2x64x2xf32>, tensor<64x4xf32>) -> (tensor<2x64xf32>, tensor<2x64x2xf32>)
  return
}
