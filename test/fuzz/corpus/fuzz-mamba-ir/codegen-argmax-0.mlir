// The CUDA text of mamba.argmax, the greedy-decoding head: one block per
// row, the row length a run-time parameter (the runtime passes a view that
// leaves out padded vocabulary rows).

func.func @greedy(%l: tensor<?x?xf16>) -> tensor<?xi32> {
  %ids = mamba.argmax %l : (tensor<?x?xf16>) -> tensor<?xi32>
  return %ids : tensor<?xi32>
}
