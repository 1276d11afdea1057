func.func @ssd_C_type(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %C: tensor<2x16x2x16xf32>) {
  // expected-error @+1 {{expects 'C' to have the type of 'B' ('tensor<2x16x1x16xf32>'), got 'tensor<2x16x2x16xf32>'}}
  %y = mamba.ssd %x, %dt, %A, %B, %C : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x2x16xf32>) -> tensor<2x16x8x64xf32>
  return
}
