func.func @selective_state_update_m1_dt_bias_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %db: tensor<64x1xf32>) {
  // expected-error @+1 {{expects 'dt_bias' of rank 1 (D), got rank 2 (64, 1)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B dt_bias(%db) : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>, tensor<64x1xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
