func.func @causal_conv1d_update_weight_rank(%x: tensor<2x64xf32>, %s: tensor<2x64x4xf32>, %w: tensor<64xf32>) {
  // expected-error @+1 {{expects 'weight' of rank 2 (D, W), got rank 1}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<2x64x4xf32>, tensor<64xf32>) -> (tensor<2x64xf32>, tensor<2x64x4xf32>)
  return
}
