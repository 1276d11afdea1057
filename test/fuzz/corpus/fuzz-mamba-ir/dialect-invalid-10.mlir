func.func @causal_conv1d_weight_channels(%x: tensor<2x64x8xf32>, %w: tensor<32x4xf32>) {
  // expected-error @+1 {{expects 'weight' of shape (D, W) = (64, 4), got (32, 4) (dim 0, D, differs)}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xf32>, tensor<32x4xf32>) -> tensor<2x64x8xf32>
  return
}
