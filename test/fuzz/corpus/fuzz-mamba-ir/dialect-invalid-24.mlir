func.func @causal_conv1d_final_states_type(%x: tensor<2x64x8xbf16>, %w: tensor<64x3xbf16>) {
  // expected-error @+1 {{expects 'final_states' element type 'bf16' (the element type of x), got 'f32'}}
  %y, %fs = mamba.causal_conv1d %x, %w : (tensor<2x64x8xbf16>, tensor<64x3xbf16>) -> (tensor<2x64x8xbf16>, tensor<2x64x2xf32>)
  return
}
