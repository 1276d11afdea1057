func.func @causal_conv1d_width_dynamic(%x: tensor<2x64x8xf32>, %w: tensor<64x?xf32>) {
  // expected-error @+1 {{expects d_conv (weight dim 1) to be static (kernels are specialised on it), got '?'}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xf32>, tensor<64x?xf32>) -> tensor<2x64x8xf32>
  return
}
