func.func @conv_update_silu(%x: tensor<?x64xf16>, %s: tensor<?x64x4xf16>, %w: tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<?x64x4xf16>) {
  %c, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x64xf16>, tensor<?x64x4xf16>, tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<?x64x4xf16>)
  %y = mamba.silu %c : tensor<?x64xf16>
  return %y, %s1 : tensor<?x64xf16>, tensor<?x64x4xf16>
}
