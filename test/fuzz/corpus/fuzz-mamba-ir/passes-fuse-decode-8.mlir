// Negative: the slices cover only the first batch row.
func.func @partial_batch(%xbc: tensor<2x192xbf16>, %cs: tensor<2x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<1x4x32x16xf32>, %dt: tensor<1x4xbf16>, %A: tensor<4xf32>) -> (tensor<1x4x32xbf16>, tensor<2x192x3xbf16>, tensor<1x4x32x16xf32>) {
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w {activation = #mamba<activation silu>} : (tensor<2x192xbf16>, tensor<2x192x3xbf16>, tensor<192x4xbf16>) -> (tensor<2x192xbf16>, tensor<2x192x3xbf16>)
  %x = tensor.extract_slice %out[0, 0] [1, 128] [1, 1] : tensor<2x192xbf16> to tensor<1x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [1, 4, 32] : tensor<1x128xbf16> into tensor<1x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [1, 32] [1, 1] : tensor<2x192xbf16> to tensor<1x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [1, 2, 16] : tensor<1x32xbf16> into tensor<1x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [1, 32] [1, 1] : tensor<2x192xbf16> to tensor<1x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [1, 2, 16] : tensor<1x32xbf16> into tensor<1x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch : (tensor<1x4x32x16xf32>, tensor<1x4x32xbf16>, tensor<1x4xbf16>, tensor<4xf32>, tensor<1x2x16xbf16>, tensor<1x2x16xbf16>) -> (tensor<1x4x32xbf16>, tensor<1x4x32x16xf32>)
  return %y, %cs1, %s1 : tensor<1x4x32xbf16>, tensor<2x192x3xbf16>, tensor<1x4x32x16xf32>
}
