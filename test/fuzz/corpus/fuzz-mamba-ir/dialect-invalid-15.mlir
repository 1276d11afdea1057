func.func @causal_conv1d_initial_states_batch(%x: tensor<2x8x64xf16>, %w: tensor<64x4xf16>, %s: tensor<3x64x3xf16>) {
  // expected-error @+1 {{expects 'initial_states' of shape (Bt, D, W-1) = (2, 64, 3), got (3, 64, 3) (dim 0, Bt, differs)}}
  %y = mamba.causal_conv1d %x, %w initial_states(%s) {layout = #mamba<layout channel_last>} : (tensor<2x8x64xf16>, tensor<64x4xf16>, tensor<3x64x3xf16>) -> tensor<2x8x64xf16>
  return
}
