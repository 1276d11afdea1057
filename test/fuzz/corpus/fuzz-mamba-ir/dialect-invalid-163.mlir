func.func @ssd_dt_min_above_max(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects dt_min <= dt_max, got dt_min = 2.000000e-01 and dt_max = 1.000000e-01}}
  %y = mamba.ssd %x, %dt, %A, %B, %B {dt_min = 0.2 : f64, dt_max = 0.1 : f64} : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}
