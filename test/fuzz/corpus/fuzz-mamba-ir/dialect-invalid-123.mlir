func.func @selective_state_update_m2_D_heads(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %D: tensor<4xf32>) {
  // expected-error @+1 {{expects 'D' of shape (H) = (8), got (4) (dim 0, H, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>, tensor<4xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}
