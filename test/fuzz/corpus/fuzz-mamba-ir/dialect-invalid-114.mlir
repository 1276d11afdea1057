func.func @selective_state_update_m2_state_pool(%s: tensor<4x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects 'state' of shape (S, H, P, N) = (2, 8, 64, 16), got (4, 8, 64, 16) (dim 0, S, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<4x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x8x64xf32>, tensor<4x8x64x16xf32>)
  return
}
