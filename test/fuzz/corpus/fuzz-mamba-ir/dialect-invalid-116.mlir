func.func @selective_state_update_m2_dt_shape(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects 'dt' of rank 2 (Bt, H), got rank 3 (2, 8, 64)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}
