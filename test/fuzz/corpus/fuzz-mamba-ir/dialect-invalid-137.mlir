func.func @ssd_dt_shape(%x: tensor<2x?x8x64xf32>, %dt: tensor<2x?x4xf32>, %A: tensor<8xf32>, %B: tensor<2x?x1x16xf32>) {
  // expected-error @+1 {{expects 'dt' of shape (Bt, L, H) = (2, ?, 8), got (2, ?, 4) (dim 2, H, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x?x8x64xf32>, tensor<2x?x4xf32>, tensor<8xf32>, tensor<2x?x1x16xf32>, tensor<2x?x1x16xf32>) -> tensor<2x?x8x64xf32>
  return
}
