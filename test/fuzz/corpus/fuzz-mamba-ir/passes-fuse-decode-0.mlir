// Both patterns of mamba-fuse-decode, and the cases where fusing is not legal
// and the IR must stay as it is. The inputs are decode steps as the
// ModelBuilder writes them after canonicalize and mamba-fuse-elementwise
// (the SiLU already folded into the conv): H = 4, P = 32, G = 2, N = 16, so
// xBC has Dc = 4 * 32 + 2 * 2 * 16 = 192 channels, x at 0, B at 128, C at 160.

//===----------------------------------------------------------------------===//
// Pattern 1: causal_conv1d_update{silu} + slices + state update
//===----------------------------------------------------------------------===//

func.func @mamba2_decode(%xbc: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %cb: tensor<192xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %D: tensor<4xf32>, %db: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w bias(%cb) {activation = #mamba<activation silu>} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<192xbf16>) -> (tensor<?x192xbf16>, tensor<?x192x3xbf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x192xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x192xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch D(%D) dt_bias(%db) {dt_softplus} : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>, tensor<4xf32>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %cs1, %s1 : tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>
}
