func.func @ssd_B_length(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x32x1x16xf32>) {
  // expected-error @+1 {{expects 'B' of shape (Bt, L, G, N) = (2, 16, 1, 16), got (2, 32, 1, 16) (dim 1, L, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x32x1x16xf32>, tensor<2x32x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}
