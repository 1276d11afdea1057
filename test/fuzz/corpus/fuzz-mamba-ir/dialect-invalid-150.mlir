// Used to be rejected: a dangling `else` checked a valid (H, P) D against (H).
func.func @ssd_D_headdim(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %D: tensor<8x128xf32>) {
  // expected-error @+1 {{expects 'D' of shape (H, P) = (8, 64), got (8, 128) (dim 1, P, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B D(%D) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<8x128xf32>) -> tensor<2x16x8x64xf32>
  return
}
