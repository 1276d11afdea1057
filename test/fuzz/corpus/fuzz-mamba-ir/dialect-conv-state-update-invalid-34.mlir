func.func @columns_overlap(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects the column ranges of b_offset [128, 160) and c_offset [128, 160) not to overlap}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 128 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}
