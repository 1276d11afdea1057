func.func @causal_conv1d_weight_rank(%x: tensor<2x64x8xf32>, %w: tensor<64x1x4xf32>) {
  // expected-error @+1 {{expects 'weight' of rank 2 (D, W), got rank 3}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xf32>, tensor<64x1x4xf32>) -> tensor<2x64x8xf32>
  return
}
