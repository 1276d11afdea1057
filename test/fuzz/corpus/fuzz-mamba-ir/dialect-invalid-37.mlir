func.func @causal_conv1d_update_bias_type(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf16>, %w: tensor<64x4xf16>, %b: tensor<64xf32>) {
  // expected-error @+1 {{expects 'bias' element type 'f16' (the weight's element type), got 'f32'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w bias(%b) : (tensor<2x64xf16>, tensor<2x64x4xf16>, tensor<64x4xf16>, tensor<64xf32>) -> (tensor<2x64xf16>, tensor<2x64x4xf16>)
  return
}
