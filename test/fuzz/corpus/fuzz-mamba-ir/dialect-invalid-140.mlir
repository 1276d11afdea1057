func.func @ssd_B_rank(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x16xf32>) {
  // expected-error @+1 {{expects 'B' of rank 4 (Bt, L, G, N), got rank 3}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x16xf32>, tensor<2x16x16xf32>) -> tensor<2x16x8x64xf32>
  return
}
