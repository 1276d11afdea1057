// The CUDA text of mamba.causal_conv1d kernels: the header comment, the device
// header, the Config that encodes the specialisation, the launch bounds and
// the signature.

// mamba-130m: channel_first (Bt, D, L), D = 1536, W = 4, bf16, with bias
// and SiLU.
func.func @mamba_130m(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>, %b: tensor<1536xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.causal_conv1d %x, %w bias(%b) {activation = #mamba<activation silu>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>, tensor<1536xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// Mamba-2: channel_last (Bt, L, D) f16 with an f32 weight, states in and
// out, and seq_idx; no bias, no activation.
func.func @channel_last_states_seq_idx(%x: tensor<?x?x1792xf16>, %w: tensor<1792x4xf32>, %s0: tensor<?x1792x3xf16>, %seq: tensor<?x?xi32>) -> (tensor<?x?x1792xf16>, tensor<?x1792x3xf16>) {
  %y, %fs = mamba.causal_conv1d %x, %w initial_states(%s0) seq_idx(%seq) {layout = #mamba<layout channel_last>} : (tensor<?x?x1792xf16>, tensor<1792x4xf32>, tensor<?x1792x3xf16>, tensor<?x?xi32>) -> (tensor<?x?x1792xf16>, tensor<?x1792x3xf16>)
  return %y, %fs : tensor<?x?x1792xf16>, tensor<?x1792x3xf16>
}

// W = 2 in f32, the channel count taken from the weight.
func.func @width_2_f32(%x: tensor<?x?x?xf32>, %w: tensor<100x2xf32>) -> tensor<?x?x?xf32> {
  %y = mamba.causal_conv1d %x, %w : (tensor<?x?x?xf32>, tensor<100x2xf32>) -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}

// The channel count comes from x when the weight's is dynamic.
func.func @channels_from_x(%x: tensor<?x?x512xbf16>, %w: tensor<?x3xbf16>) -> tensor<?x?x512xbf16> {
  %y = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_last>} : (tensor<?x?x512xbf16>, tensor<?x3xbf16>) -> tensor<?x?x512xbf16>
  return %y : tensor<?x?x512xbf16>
}
