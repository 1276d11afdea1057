// Used to be accepted: a dangling `else` skipped the check of a rank-3 D.
func.func @selective_state_update_m2_D_rank3(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %D: tensor<8x64x1xf32>) {
  // expected-error @+1 {{expects 'D' of rank 1 (H), got rank 3 (8, 64, 1)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>, tensor<8x64x1xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}
