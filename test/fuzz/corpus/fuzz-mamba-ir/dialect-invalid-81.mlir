func.func @selective_state_update_dt_min_above_max(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects dt_min <= dt_max, got dt_min = 1.000000e+00 and dt_max = 5.000000e-01}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B {dt_min = 1.0 : f64, dt_max = 0.5 : f64} : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
