// mamba.selective_scan (Mamba-1's scan) in mamba-130m's shape: d_inner 1536,
// d_state 16, one group of per-token B and C, with D, the z gate and
// softplus(delta + delta_bias). Batch and length are dynamic.
//   mamba-opt examples/mlir/selective-scan.mlir --mamba-to-cuda

func.func @mamba1_scan(%u: tensor<?x1536x?xbf16>, %delta: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>, %C: tensor<?x1x16x?xbf16>, %D: tensor<1536xf32>, %z: tensor<?x1536x?xbf16>, %delta_bias: tensor<1536xf32>) -> (tensor<?x1536x?xbf16>) {
  %r0 = mamba.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%delta_bias) {delta_softplus} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<1536xf32>, tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
  return %r0 : tensor<?x1536x?xbf16>
}
