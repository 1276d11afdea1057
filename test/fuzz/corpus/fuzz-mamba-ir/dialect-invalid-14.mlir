func.func @causal_conv1d_bias_type(%x: tensor<2x64x8xbf16>, %w: tensor<64x4xf32>, %b: tensor<64xbf16>) {
  // expected-error @+1 {{expects 'bias' element type 'f32' (the weight's element type), got 'bf16'}}
  %y = mamba.causal_conv1d %x, %w bias(%b) : (tensor<2x64x8xbf16>, tensor<64x4xf32>, tensor<64xbf16>) -> tensor<2x64x8xbf16>
  return
}
