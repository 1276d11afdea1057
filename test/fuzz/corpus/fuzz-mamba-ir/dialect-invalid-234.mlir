func.func @packed_conv_and_seq_idx(%x: tensor<1x64x?xf32>, %w: tensor<64x4xf32>, %seq: tensor<1x?xi32>, %cu: tensor<3xi32>) {
  // expected-error @+1 {{expects at most one of 'seq_idx' and 'cu_seqlens'}}
  %y = mamba.causal_conv1d %x, %w seq_idx(%seq) cu_seqlens(%cu) : (tensor<1x64x?xf32>, tensor<64x4xf32>, tensor<1x?xi32>, tensor<3xi32>) -> tensor<1x64x?xf32>
  return
}
