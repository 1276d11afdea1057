func.func @causal_conv1d_update_out_type(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf16>, %w: tensor<64x4xf16>) {
  // expected-error @+1 {{expects 'out' to have the type of 'x' ('tensor<2x64xf16>'), got 'tensor<?x64xf16>'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf16>, tensor<2x64x4xf16>, tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<2x64x4xf16>)
  return
}
