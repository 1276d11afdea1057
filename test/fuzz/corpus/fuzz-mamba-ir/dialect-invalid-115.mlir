func.func @selective_state_update_m2_x_shape(%s: tensor<2x8x64x16xf32>, %x: tensor<2x4x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects 'x' of shape (Bt, H, P) = (2, 8, 64), got (2, 4, 64) (dim 1, H, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x8x64x16xf32>, tensor<2x4x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x4x64xf32>, tensor<2x8x64x16xf32>)
  return
}
