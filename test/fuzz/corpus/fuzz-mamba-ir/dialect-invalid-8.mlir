func.func @causal_conv1d_width_too_large(%x: tensor<2x64x8xf32>, %w: tensor<64x5xf32>) {
  // expected-error @+1 {{expects d_conv (weight dim 1) in [2, 4], got 5}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xf32>, tensor<64x5xf32>) -> tensor<2x64x8xf32>
  return
}
