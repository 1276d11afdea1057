func.func @causal_conv1d_update_state_channels(%x: tensor<2x?xf32>, %s: tensor<2x32x4xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'conv_state' of shape (S, D, K) = (2, 64, 4), got (2, 32, 4) (dim 1, D, differs)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x?xf32>, tensor<2x32x4xf32>, tensor<64x4xf32>) -> (tensor<2x?xf32>, tensor<2x32x4xf32>)
  return
}
