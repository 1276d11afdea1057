// mamba.causal_conv1d, channel-first (batch, channels, length) as Mamba-1's
// prefill has it: 1536 channels, width 4, bias and SiLU.
//   mamba-opt examples/mlir/causal-conv1d.mlir --mamba-to-cuda

func.func @mamba1_conv(%x: tensor<?x1536x?xbf16>, %weight: tensor<1536x4xbf16>, %bias: tensor<1536xbf16>) -> (tensor<?x1536x?xbf16>) {
  %r0 = mamba.causal_conv1d %x, %weight bias(%bias) {activation = #mamba<activation silu>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>, tensor<1536xbf16>) -> tensor<?x1536x?xbf16>
  return %r0 : tensor<?x1536x?xbf16>
}
