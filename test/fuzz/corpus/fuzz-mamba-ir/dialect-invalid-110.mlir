func.func @selective_state_update_m2_x_rank(%s: tensor<2x8x64x16xf32>, %x: tensor<2x512xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects 'x' of rank 3 (Bt, H, P) in the Mamba-2 head form, got rank 2}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x8x64x16xf32>, tensor<2x512xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x512xf32>, tensor<2x8x64x16xf32>)
  return
}
