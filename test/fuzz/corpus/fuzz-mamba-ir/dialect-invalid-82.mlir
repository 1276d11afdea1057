func.func @selective_state_update_dt_max_nan(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects dt_min <= dt_max, got dt_min = 0.000000e+00 and dt_max = nan}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B {dt_max = 0x7FF8000000000000 : f64} : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
