func.func @selective_state_update_m2_A_shape(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8x64x16xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects 'A' of rank 1 (H), got rank 3 (8, 64, 16)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8x64x16xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}
