func.func @ssd_z_type(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %z: tensor<2x?x8x64xf32>) {
  // expected-error @+1 {{expects 'z' to have the type of 'x' ('tensor<2x16x8x64xf32>'), got 'tensor<2x?x8x64xf32>'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B z(%z) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<2x?x8x64xf32>) -> tensor<2x16x8x64xf32>
  return
}
