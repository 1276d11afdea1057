func.func @causal_conv1d_bad_layout(%x: tensor<2x64x8xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+2 {{expected ::mlir::mamba::ConvLayout to be one of: channel_first, channel_last}}
  // expected-error @+1 {{failed to parse Mamba_ConvLayoutAttr parameter 'value'}}
  %y = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_middle>} : (tensor<2x64x8xf32>, tensor<64x4xf32>) -> tensor<2x64x8xf32>
  return
}
