// The CUDA text of mamba.causal_conv1d_update kernels: the header comment, the device
// header, the Config that encodes the specialisation, the launch bounds and
// the signature.

// mamba-130m decode: D = 1536, K = W = 4, bf16, with bias and SiLU.
func.func @mamba_130m(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>, %b: tensor<1536xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w bias(%b) {activation = #mamba<activation silu>} : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>, tensor<1536xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

// f32 with a state pool (state_indices), a state of K = 6 > W = 4 values,
// an f16 weight and no bias.
func.func @state_pool_f32(%x: tensor<?x200xf32>, %s: tensor<32x200x6xf32>, %w: tensor<200x4xf16>, %idx: tensor<?xi32>) -> (tensor<?x200xf32>, tensor<32x200x6xf32>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w state_indices(%idx) : (tensor<?x200xf32>, tensor<32x200x6xf32>, tensor<200x4xf16>, tensor<?xi32>) -> (tensor<?x200xf32>, tensor<32x200x6xf32>)
  return %y, %s1 : tensor<?x200xf32>, tensor<32x200x6xf32>
}

// The channel count comes from x when the weight's is dynamic.
func.func @channels_from_x(%x: tensor<?x768xf16>, %s: tensor<?x768x3xf16>, %w: tensor<?x3xf16>) -> (tensor<?x768xf16>, tensor<?x768x3xf16>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x768xf16>, tensor<?x768x3xf16>, tensor<?x3xf16>) -> (tensor<?x768xf16>, tensor<?x768x3xf16>)
  return %y, %s1 : tensor<?x768xf16>, tensor<?x768x3xf16>
}
