// Negative: 8 conv channels (192 to 200) are no column of the state update;
// the fused kernel would leave their conv state behind.
func.func @channels_not_covered(%xbc: tensor<?x200xbf16>, %cs: tensor<?x200x3xbf16>, %w: tensor<200x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x200x3xbf16>, tensor<?x4x32x16xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w {activation = #mamba<activation silu>} : (tensor<?x200xbf16>, tensor<?x200x3xbf16>, tensor<200x4xbf16>) -> (tensor<?x200xbf16>, tensor<?x200x3xbf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x200xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x200xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x200xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x200xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %cs1, %s1 : tensor<?x4x32xbf16>, tensor<?x200x3xbf16>, tensor<?x4x32x16xf32>
}
