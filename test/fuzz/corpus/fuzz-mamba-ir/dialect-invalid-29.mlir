func.func @causal_conv1d_update_width_range(%x: tensor<2x64xf32>, %s: tensor<2x64x8xf32>, %w: tensor<64x8xf32>) {
  // expected-error @+1 {{expects d_conv (weight dim 1) in [2, 4], got 8}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<2x64x8xf32>, tensor<64x8xf32>) -> (tensor<2x64xf32>, tensor<2x64x8xf32>)
  return
}
