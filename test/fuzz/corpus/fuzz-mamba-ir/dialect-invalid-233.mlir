func.func @packed_conv_two_rows(%x: tensor<2x64x?xf32>, %w: tensor<64x4xf32>, %cu: tensor<3xi32>) {
  // expected-error @+1 {{expects Bt = 1 with 'cu_seqlens' (the sequences are packed in one row), got 2}}
  %y = mamba.causal_conv1d %x, %w cu_seqlens(%cu) : (tensor<2x64x?xf32>, tensor<64x4xf32>, tensor<3xi32>) -> tensor<2x64x?xf32>
  return
}
