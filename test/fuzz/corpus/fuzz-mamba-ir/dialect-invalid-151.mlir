func.func @ssd_D_heads(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %D: tensor<64xf32>) {
  // expected-error @+1 {{expects 'D' of shape (H) = (8), got (64) (dim 0, H, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B D(%D) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<64xf32>) -> tensor<2x16x8x64xf32>
  return
}
