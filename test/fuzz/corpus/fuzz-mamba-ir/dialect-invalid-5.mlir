func.func @causal_conv1d_bad_activation(%x: tensor<2x64x8xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+2 {{expected ::mlir::mamba::Activation to be one of: none, silu}}
  // expected-error @+1 {{failed to parse Mamba_ActivationAttr parameter 'value'}}
  %y = mamba.causal_conv1d %x, %w {activation = #mamba<activation gelu>} : (tensor<2x64x8xf32>, tensor<64x4xf32>) -> tensor<2x64x8xf32>
  return
}
