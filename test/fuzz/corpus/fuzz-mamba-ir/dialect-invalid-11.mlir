// With channel_last, D is the last dim of x, not the middle one.
func.func @causal_conv1d_weight_channels_channel_last(%x: tensor<2x64x8xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'weight' of shape (D, W) = (8, 4), got (64, 4) (dim 0, D, differs)}}
  %y = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_last>} : (tensor<2x64x8xf32>, tensor<64x4xf32>) -> tensor<2x64x8xf32>
  return
}
