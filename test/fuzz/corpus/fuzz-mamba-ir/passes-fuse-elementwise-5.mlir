// Negative: silu of the conv_update's new_state is not the activation.
func.func @conv_update_silu_of_state(%x: tensor<?x64xf16>, %s: tensor<?x64x4xf16>, %w: tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<?x64x4xf16>) {
  %c, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x64xf16>, tensor<?x64x4xf16>, tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<?x64x4xf16>)
  %y = mamba.silu %s1 : tensor<?x64x4xf16>
  return %c, %y : tensor<?x64xf16>, tensor<?x64x4xf16>
}

//===----------------------------------------------------------------------===//
// dt prologue of selective_scan: softplus(channel_add(delta, bias))
//===----------------------------------------------------------------------===//
