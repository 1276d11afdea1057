func.func @causal_conv1d_initial_states_width(%x: tensor<?x?x64xf16>, %w: tensor<64x4xf16>, %s: tensor<?x64x4xf16>) {
  // expected-error @+1 {{expects 'initial_states' of shape (Bt, D, W-1) = (?, 64, 3), got (?, 64, 4) (dim 2, W-1, differs)}}
  %y = mamba.causal_conv1d %x, %w initial_states(%s) {layout = #mamba<layout channel_last>} : (tensor<?x?x64xf16>, tensor<64x4xf16>, tensor<?x64x4xf16>) -> tensor<?x?x64xf16>
  return
}
