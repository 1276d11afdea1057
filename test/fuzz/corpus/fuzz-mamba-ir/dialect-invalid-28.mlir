func.func @causal_conv1d_update_width_dynamic(%x: tensor<2x64xf32>, %s: tensor<2x64x4xf32>, %w: tensor<64x?xf32>) {
  // expected-error @+1 {{expects d_conv (weight dim 1) to be static}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<2x64x4xf32>, tensor<64x?xf32>) -> (tensor<2x64xf32>, tensor<2x64x4xf32>)
  return
}
