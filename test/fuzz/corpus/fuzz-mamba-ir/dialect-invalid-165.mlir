func.func @ssd_final_states_shape(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects 'final_states' of shape (Bt, H, P, N) = (2, 8, 64, 16), got (2, 8, 64, 32) (dim 3, N, differs)}}
  %y, %fs = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> (tensor<2x16x8x64xf32>, tensor<2x8x64x32xf32>)
  return
}
