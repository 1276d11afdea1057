func.func @selective_state_update_m2_dt_bias_shape(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %db: tensor<8x64xf32>) {
  // expected-error @+1 {{expects 'dt_bias' of rank 1 (H), got rank 2 (8, 64)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B dt_bias(%db) : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>, tensor<8x64xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}
