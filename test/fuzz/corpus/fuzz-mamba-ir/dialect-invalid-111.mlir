func.func @selective_state_update_m2_heads_dynamic(%s: tensor<2x?x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects nheads to be static (kernels are specialised on it), got '?'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x?x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x8x64xf32>, tensor<2x?x64x16xf32>)
  return
}
