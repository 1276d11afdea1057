func.func @selective_state_update_m1_dt_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %dt: tensor<2x1xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'dt' of shape (Bt, D) = (2, 64), got (2, 1) (dim 1, D, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x1xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
