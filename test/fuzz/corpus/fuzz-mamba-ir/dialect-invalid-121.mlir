func.func @selective_state_update_m2_C_state(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %C: tensor<2x1x32xf32>) {
  // expected-error @+1 {{expects 'C' of shape (Bt, G, N) = (2, 1, 16), got (2, 1, 32) (dim 2, N, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x32xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}
