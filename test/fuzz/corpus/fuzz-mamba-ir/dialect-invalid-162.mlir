func.func @ssd_dt_min_negative(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects dt_min >= 0, got -1.000000e+00}}
  %y = mamba.ssd %x, %dt, %A, %B, %B {dt_min = -1.0 : f64} : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}
