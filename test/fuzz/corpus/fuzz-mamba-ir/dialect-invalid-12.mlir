func.func @causal_conv1d_bias_rank(%x: tensor<2x64x8xf32>, %w: tensor<64x4xf32>, %b: tensor<1x64xf32>) {
  // expected-error @+1 {{expects 'bias' of rank 1 (D), got rank 2 (1, 64)}}
  %y = mamba.causal_conv1d %x, %w bias(%b) : (tensor<2x64x8xf32>, tensor<64x4xf32>, tensor<1x64xf32>) -> tensor<2x64x8xf32>
  return
}
