// Dc is known from none of x, conv_weight and conv_state.
func.func @dynamic_channels(%x: tensor<?x?xbf16>, %cs: tensor<?x?x3xbf16>, %w: tensor<?x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects the conv channel count Dc to be static (kernels are specialised on it), got '?'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x?xbf16>, tensor<?x?x3xbf16>, tensor<?x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x?x3xbf16>)
  return
}
