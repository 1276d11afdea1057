func.func @causal_conv1d_update_state_type(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf32>, %w: tensor<64x4xf16>) {
  // expected-error @+1 {{expects 'conv_state' element type 'f16' (the element type of x), got 'f32'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf16>, tensor<2x64x4xf32>, tensor<64x4xf16>) -> (tensor<2x64xf16>, tensor<2x64x4xf32>)
  return
}
