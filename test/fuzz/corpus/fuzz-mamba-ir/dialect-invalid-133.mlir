func.func @ssd_x_rank(%x: tensor<2x16x512xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects 'x' of rank 4 (Bt, L, H, P), got rank 3}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x512xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x512xf32>
  return
}
