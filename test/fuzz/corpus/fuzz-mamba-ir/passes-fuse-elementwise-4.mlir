// Negative: the conv already applies silu; silu(silu(x)) stays two silus.
func.func @conv_already_silu(%x: tensor<2x64x?xbf16>, %w: tensor<64x4xbf16>) -> tensor<2x64x?xbf16> {
  %c = mamba.causal_conv1d %x, %w {activation = #mamba<activation silu>} : (tensor<2x64x?xbf16>, tensor<64x4xbf16>) -> tensor<2x64x?xbf16>
  %y = mamba.silu %c : tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}
