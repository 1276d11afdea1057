func.func @warps_zero(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 0}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 4, warps = 0>} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}
