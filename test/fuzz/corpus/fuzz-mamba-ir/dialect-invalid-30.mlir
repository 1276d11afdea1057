func.func @causal_conv1d_update_weight_channels(%x: tensor<?x64xf32>, %s: tensor<?x64x4xf32>, %w: tensor<128x4xf32>) {
  // expected-error @+1 {{expects 'weight' of shape (D, W) = (64, 4), got (128, 4) (dim 0, D, differs)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x64xf32>, tensor<?x64x4xf32>, tensor<128x4xf32>) -> (tensor<?x64xf32>, tensor<?x64x4xf32>)
  return
}
