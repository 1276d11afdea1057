// Used to be accepted: a dangling `else` skipped the check of a rank-0 D.
func.func @ssd_D_rank0(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %D: tensor<f32>) {
  // expected-error @+1 {{expects 'D' of rank 1 (H), got rank 0 ()}}
  %y = mamba.ssd %x, %dt, %A, %B, %B D(%D) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<f32>) -> tensor<2x16x8x64xf32>
  return
}
