func.func @causal_conv1d_seq_idx_rank(%x: tensor<2x16x64xf32>, %w: tensor<64x4xf32>, %seq: tensor<32xi32>) {
  // expected-error @+1 {{expects 'seq_idx' of rank 2 (Bt, L), got rank 1 (32)}}
  %y = mamba.causal_conv1d %x, %w seq_idx(%seq) {layout = #mamba<layout channel_last>} : (tensor<2x16x64xf32>, tensor<64x4xf32>, tensor<32xi32>) -> tensor<2x16x64xf32>
  return
}
