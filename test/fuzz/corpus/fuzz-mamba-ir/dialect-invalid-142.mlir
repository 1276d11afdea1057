func.func @ssd_groups_zero(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x0x16xf32>) {
  // expected-error @+1 {{expects ngroups >= 1, got 0}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x0x16xf32>, tensor<2x16x0x16xf32>) -> tensor<2x16x8x64xf32>
  return
}
