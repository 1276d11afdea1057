// mamba.argmax over rows of 50288 f16 logits: greedy decoding on the GPU.
//   mamba-opt examples/mlir/argmax.mlir --mamba-to-cuda

func.func @greedy_pick(%x: tensor<?x50288xf16>) -> (tensor<?xi32>) {
  %r0 = mamba.argmax %x : (tensor<?x50288xf16>) -> tensor<?xi32>
  return %r0 : tensor<?xi32>
}
