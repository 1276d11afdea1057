func.func @ssd_dt_bias_shape(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %db: tensor<9xf32>) {
  // expected-error @+1 {{expects 'dt_bias' of shape (H) = (8), got (9) (dim 0, H, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B dt_bias(%db) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<9xf32>) -> tensor<2x16x8x64xf32>
  return
}
