func.func @state_rows(%x: tensor<2x192xbf16>, %cs: tensor<2x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<3x4x32x16xf32>, %dt: tensor<2x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'state' of shape (S, H, P, N) = (2, 4, 32, 16), got (3, 4, 32, 16) (dim 0, S, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<2x192xbf16>, tensor<2x192x3xbf16>, tensor<192x4xbf16>, tensor<3x4x32x16xf32>, tensor<2x4xbf16>, tensor<4xf32>) -> (tensor<2x4x32xbf16>, tensor<3x4x32x16xf32>, tensor<2x192x3xbf16>)
  return
}
