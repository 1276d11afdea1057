// The operands and attributes the fused op carries over: z, a per-channel
// D, the dt limits, a shared state pool (state_indices), a conv without
// bias and a longer conv state (K = 5 > W - 1); the columns in another order
// (C, x, B), a batch dim taken from the conv's input, and a use of the
// batch size (tensor.dim of the conv output) that outlives the conv.
func.func @options_and_order(%xbc: tensor<?x192xf16>, %cs: tensor<16x192x5xf16>, %w: tensor<192x3xf16>, %s: tensor<16x4x32x16xbf16>, %dt: tensor<?x4xf16>, %A: tensor<4xf32>, %D: tensor<4x32xf32>, %z: tensor<?x4x32xf16>, %idx: tensor<?xi32>) -> (tensor<?x4x32xf16>, tensor<16x192x5xf16>, tensor<16x4x32x16xbf16>, index) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w state_indices(%idx) {activation = #mamba<activation silu>} : (tensor<?x192xf16>, tensor<16x192x5xf16>, tensor<192x3xf16>, tensor<?xi32>) -> (tensor<?x192xf16>, tensor<16x192x5xf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x192xf16>
  %bx = tensor.dim %xbc, %c0 : tensor<?x192xf16>
  %c = tensor.extract_slice %out[0, 0] [%bx, 32] [1, 1] : tensor<?x192xf16> to tensor<?x32xf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bx, 2, 16] : tensor<?x32xf16> into tensor<?x2x16xf16>
  %x = tensor.extract_slice %out[0, 32] [%bt, 128] [1, 1] : tensor<?x192xf16> to tensor<?x128xf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xf16> into tensor<?x4x32xf16>
  %b = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x192xf16> to tensor<?x32xf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xf16> into tensor<?x2x16xf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch D(%D) z(%z) state_indices(%idx) {dt_min = 0.001 : f64, dt_max = 0.1 : f64} : (tensor<16x4x32x16xbf16>, tensor<?x4x32xf16>, tensor<?x4xf16>, tensor<4xf32>, tensor<?x2x16xf16>, tensor<?x2x16xf16>, tensor<4x32xf32>, tensor<?x4x32xf16>, tensor<?xi32>) -> (tensor<?x4x32xf16>, tensor<16x4x32x16xbf16>)
  return %y, %cs1, %s1, %bt : tensor<?x4x32xf16>, tensor<16x192x5xf16>, tensor<16x4x32x16xbf16>, index
}
