// mamba.causal_conv1d_update: one decode token through the width-4 conv of
// 1536 channels, the last 3 inputs kept in conv_state (updated and returned).
//   mamba-opt examples/mlir/causal-conv1d-update.mlir --mamba-to-cuda

func.func @mamba1_conv_step(%x: tensor<?x1536xbf16>, %conv_state: tensor<?x1536x3xbf16>, %weight: tensor<1536x4xbf16>, %bias: tensor<1536xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x3xbf16>) {
  %r0, %r1 = mamba.causal_conv1d_update %x, %conv_state, %weight bias(%bias) {activation = #mamba<activation silu>} : (tensor<?x1536xbf16>, tensor<?x1536x3xbf16>, tensor<1536x4xbf16>, tensor<1536xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x3xbf16>)
  return %r0, %r1 : tensor<?x1536xbf16>, tensor<?x1536x3xbf16>
}
