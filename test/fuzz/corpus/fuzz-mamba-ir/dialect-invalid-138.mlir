func.func @ssd_A_shape(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<16xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects 'A' of shape (H) = (8), got (16) (dim 0, H, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<16xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}
