func.func @packed_conv_state_rows(%x: tensor<1x64x?xf32>, %w: tensor<64x4xf32>, %s: tensor<1x64x3xf32>, %cu: tensor<3xi32>) {
  // expected-error @+1 {{expects 'initial_states' of shape (S, D, W-1) = (2, 64, 3), got (1, 64, 3) (dim 0, S, differs)}}
  %y = mamba.causal_conv1d %x, %w initial_states(%s) cu_seqlens(%cu) : (tensor<1x64x?xf32>, tensor<64x4xf32>, tensor<1x64x3xf32>, tensor<3xi32>) -> tensor<1x64x?xf32>
  return
}
