// Without state_indices, state row b is batch row b.
func.func @conv_state_rows(%x: tensor<2x192xbf16>, %cs: tensor<3x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<2x4x32x16xf32>, %dt: tensor<2x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'conv_state' of shape (S, Dc, K) = (2, 192, 3), got (3, 192, 3) (dim 0, S, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<2x192xbf16>, tensor<3x192x3xbf16>, tensor<192x4xbf16>, tensor<2x4x32x16xf32>, tensor<2x4xbf16>, tensor<4xf32>) -> (tensor<2x4x32xbf16>, tensor<2x4x32x16xf32>, tensor<3x192x3xbf16>)
  return
}
