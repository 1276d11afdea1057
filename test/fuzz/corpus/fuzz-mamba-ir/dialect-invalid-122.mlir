// Used to be rejected: a dangling `else` checked a valid (H, P) D against (H).
func.func @selective_state_update_m2_D_headdim(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %D: tensor<8x32xf32>) {
  // expected-error @+1 {{expects 'D' of shape (H, P) = (8, 64), got (8, 32) (dim 1, P, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>, tensor<8x32xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}
