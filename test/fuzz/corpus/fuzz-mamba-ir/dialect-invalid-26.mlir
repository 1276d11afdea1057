func.func @causal_conv1d_update_x_rank(%x: tensor<2x64x1xf32>, %s: tensor<2x64x4xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'x' of rank 2 (Bt, D), got rank 3}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64x1xf32>, tensor<2x64x4xf32>, tensor<64x4xf32>) -> (tensor<2x64x1xf32>, tensor<2x64x4xf32>)
  return
}
