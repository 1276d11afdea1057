func.func @causal_conv1d_out_type(%x: tensor<2x64x8xbf16>, %w: tensor<64x4xbf16>) {
  // expected-error @+1 {{expects 'out' to have the type of 'x' ('tensor<2x64x8xbf16>'), got 'tensor<2x64x8xf32>'}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xbf16>, tensor<64x4xbf16>) -> tensor<2x64x8xf32>
  return
}
