// Without state_indices the state pool must have one row per batch row.
func.func @causal_conv1d_update_state_pool(%x: tensor<2x64xf32>, %s: tensor<8x64x4xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'conv_state' of shape (S, D, K) = (2, 64, 4), got (8, 64, 4) (dim 0, S, differs)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<8x64x4xf32>, tensor<64x4xf32>) -> (tensor<2x64xf32>, tensor<8x64x4xf32>)
  return
}
