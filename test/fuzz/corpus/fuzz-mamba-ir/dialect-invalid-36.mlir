func.func @causal_conv1d_update_bias_shape(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf16>, %w: tensor<64x4xf16>, %b: tensor<63xf16>) {
  // expected-error @+1 {{expects 'bias' of shape (D) = (64), got (63) (dim 0, D, differs)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w bias(%b) : (tensor<2x64xf16>, tensor<2x64x4xf16>, tensor<64x4xf16>, tensor<63xf16>) -> (tensor<2x64xf16>, tensor<2x64x4xf16>)
  return
}
