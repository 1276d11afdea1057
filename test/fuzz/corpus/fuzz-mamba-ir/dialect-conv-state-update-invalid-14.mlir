func.func @headdim(%x: tensor<?x256xbf16>, %cs: tensor<?x256x3xbf16>, %w: tensor<256x4xbf16>, %s: tensor<?x4x48x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects headdim in {32, 64, 128}, got 48}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 192 : i64, c_offset = 224 : i64, ngroups = 2 : i64} : (tensor<?x256xbf16>, tensor<?x256x3xbf16>, tensor<256x4xbf16>, tensor<?x4x48x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x48xbf16>, tensor<?x4x48x16xf32>, tensor<?x256x3xbf16>)
  return
}
