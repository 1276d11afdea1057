// Negative: the pre-activation output is also returned.
func.func @conv_silu_second_use(%x: tensor<2x64x?xbf16>, %w: tensor<64x4xbf16>) -> (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>) {
  %c = mamba.causal_conv1d %x, %w : (tensor<2x64x?xbf16>, tensor<64x4xbf16>) -> tensor<2x64x?xbf16>
  %y = mamba.silu %c : tensor<2x64x?xbf16>
  return %y, %c : tensor<2x64x?xbf16>, tensor<2x64x?xbf16>
}
