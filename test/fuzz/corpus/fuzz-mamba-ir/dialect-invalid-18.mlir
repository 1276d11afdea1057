func.func @causal_conv1d_initial_states_type(%x: tensor<?x?x64xf16>, %w: tensor<64x4xf16>, %s: tensor<?x64x3xf32>) {
  // expected-error @+1 {{expects 'initial_states' element type 'f16' (the element type of x), got 'f32'}}
  %y = mamba.causal_conv1d %x, %w initial_states(%s) {layout = #mamba<layout channel_last>} : (tensor<?x?x64xf16>, tensor<64x4xf16>, tensor<?x64x3xf32>) -> tensor<?x?x64xf16>
  return
}
