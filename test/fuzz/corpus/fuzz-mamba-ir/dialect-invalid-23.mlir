func.func @causal_conv1d_final_states_shape(%x: tensor<2x64x8xbf16>, %w: tensor<64x3xbf16>) {
  // expected-error @+1 {{expects 'final_states' of shape (Bt, D, W-1) = (2, 64, 2), got (2, 64, 3) (dim 2, W-1, differs)}}
  %y, %fs = mamba.causal_conv1d %x, %w : (tensor<2x64x8xbf16>, tensor<64x3xbf16>) -> (tensor<2x64x8xbf16>, tensor<2x64x3xbf16>)
  return
}
