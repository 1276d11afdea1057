// The Mamba-2 decode step as the ModelBuilder writes it (mamba2-130m, Dc =
// 1792): the SiLU folds into the conv update, then mamba-fuse-decode makes
// conv + slices + state update one mamba.conv_state_update, tiled like the
// state update it replaces and planned as one kernel.
func.func @mamba2_decode_fused(%xbc: tensor<?x1792xbf16>, %cs: tensor<?x1792x3xbf16>, %w: tensor<1792x4xbf16>, %cb: tensor<1792xbf16>, %s: tensor<?x24x64x128xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %D: tensor<24xf32>, %db: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x1792x3xbf16>, tensor<?x24x64x128xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w bias(%cb) : (tensor<?x1792xbf16>, tensor<?x1792x3xbf16>, tensor<1792x4xbf16>, tensor<1792xbf16>) -> (tensor<?x1792xbf16>, tensor<?x1792x3xbf16>)
  %act = mamba.silu %out : tensor<?x1792xbf16>
  %bt = tensor.dim %act, %c0 : tensor<?x1792xbf16>
  %x = tensor.extract_slice %act[0, 0] [%bt, 1536] [1, 1] : tensor<?x1792xbf16> to tensor<?x1536xbf16>
  %bx = tensor.dim %x, %c0 : tensor<?x1536xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bx, 24, 64] : tensor<?x1536xbf16> into tensor<?x24x64xbf16>
  %b = tensor.extract_slice %act[0, 1536] [%bt, 128] [1, 1] : tensor<?x1792xbf16> to tensor<?x128xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 1, 128] : tensor<?x128xbf16> into tensor<?x1x128xbf16>
  %c = tensor.extract_slice %act[0, 1664] [%bt, 128] [1, 1] : tensor<?x1792xbf16> to tensor<?x128xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 1, 128] : tensor<?x128xbf16> into tensor<?x1x128xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch D(%D) dt_bias(%db) {dt_softplus} : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>, tensor<24xf32>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %cs1, %s1 : tensor<?x24x64xbf16>, tensor<?x1792x3xbf16>, tensor<?x24x64x128xf32>
}
