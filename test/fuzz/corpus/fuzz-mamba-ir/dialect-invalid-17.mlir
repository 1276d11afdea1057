func.func @causal_conv1d_initial_states_rank(%x: tensor<?x?x64xf16>, %w: tensor<64x4xf16>, %s: tensor<64x3xf16>) {
  // expected-error @+1 {{expects 'initial_states' of rank 3 (Bt, D, W-1), got rank 2 (64, 3)}}
  %y = mamba.causal_conv1d %x, %w initial_states(%s) {layout = #mamba<layout channel_last>} : (tensor<?x?x64xf16>, tensor<64x4xf16>, tensor<64x3xf16>) -> tensor<?x?x64xf16>
  return
}
