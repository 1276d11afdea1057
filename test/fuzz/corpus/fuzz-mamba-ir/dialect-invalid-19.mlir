func.func @causal_conv1d_seq_idx_shape(%x: tensor<2x16x64xf32>, %w: tensor<64x4xf32>, %seq: tensor<2x64xi32>) {
  // expected-error @+1 {{expects 'seq_idx' of shape (Bt, L) = (2, 16), got (2, 64) (dim 1, L, differs)}}
  %y = mamba.causal_conv1d %x, %w seq_idx(%seq) {layout = #mamba<layout channel_last>} : (tensor<2x16x64xf32>, tensor<64x4xf32>, tensor<2x64xi32>) -> tensor<2x16x64xf32>
  return
}
