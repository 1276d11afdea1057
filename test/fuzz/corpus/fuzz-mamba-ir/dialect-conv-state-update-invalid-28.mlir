func.func @state_indices_shape(%x: tensor<2x192xbf16>, %cs: tensor<8x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<8x4x32x16xf32>, %dt: tensor<2x4xbf16>, %A: tensor<4xf32>, %state_indices: tensor<3xi32>) {
  // expected-error @+1 {{expects 'state_indices' of shape (Bt) = (2), got (3) (dim 0, Bt, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A state_indices(%state_indices) {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<2x192xbf16>, tensor<8x192x3xbf16>, tensor<192x4xbf16>, tensor<8x4x32x16xf32>, tensor<2x4xbf16>, tensor<4xf32>, tensor<3xi32>) -> (tensor<2x4x32xbf16>, tensor<8x4x32x16xf32>, tensor<8x192x3xbf16>)
  return
}
