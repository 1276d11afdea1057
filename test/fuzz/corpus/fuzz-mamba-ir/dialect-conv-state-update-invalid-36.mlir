// Channels 192 to 200 are no column of x, B or C: their conv state would never be updated.
func.func @columns_do_not_cover(%x: tensor<?x200xbf16>, %cs: tensor<?x200x3xbf16>, %w: tensor<200x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects the x, B and C column ranges to cover the Dc = 200 conv channels (each channel's conv state is updated once), got nheads * headdim + 2 * ngroups * d_state = 192}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x200xbf16>, tensor<?x200x3xbf16>, tensor<200x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x200x3xbf16>)
  return
}
