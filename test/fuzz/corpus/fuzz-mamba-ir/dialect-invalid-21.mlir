func.func @causal_conv1d_seq_idx_i64(%x: tensor<2x16x64xf32>, %w: tensor<64x4xf32>, %seq: tensor<2x16xi64>) {
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit signless integer values, but got 'tensor<2x16xi64>'}}
  %y = mamba.causal_conv1d %x, %w seq_idx(%seq) {layout = #mamba<layout channel_last>} : (tensor<2x16x64xf32>, tensor<64x4xf32>, tensor<2x16xi64>) -> tensor<2x16x64xf32>
  return
}
