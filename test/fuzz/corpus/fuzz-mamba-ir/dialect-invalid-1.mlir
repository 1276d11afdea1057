func.func @causal_conv1d_x_rank_channel_last(%x: tensor<2x8x64x1xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'x' of rank 3 (Bt, L, D) for layout channel_last, got rank 4}}
  %y = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_last>} : (tensor<2x8x64x1xf32>, tensor<64x4xf32>) -> tensor<2x8x64x1xf32>
  return
}
