func.func @causal_conv1d_update_state_rank(%x: tensor<2x64xf32>, %s: tensor<2x64xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'conv_state' of rank 3 (S, D, K), got rank 2}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x4xf32>) -> (tensor<2x64xf32>, tensor<2x64xf32>)
  return
}
