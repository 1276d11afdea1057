func.func @ssd_groups_divide(%x: tensor<2x16x24x64xf32>, %dt: tensor<2x16x24xf32>, %A: tensor<24xf32>, %B: tensor<2x16x5x16xf32>) {
  // expected-error @+1 {{expects ngroups (5) to divide nheads (24)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x24x64xf32>, tensor<2x16x24xf32>, tensor<24xf32>, tensor<2x16x5x16xf32>, tensor<2x16x5x16xf32>) -> tensor<2x16x24x64xf32>
  return
}
