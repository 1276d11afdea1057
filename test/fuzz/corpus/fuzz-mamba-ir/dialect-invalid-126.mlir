func.func @selective_state_update_m2_z_type(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %z: tensor<2x8x32xf32>) {
  // expected-error @+1 {{expects 'z' to have the type of 'x' ('tensor<2x8x64xf32>'), got 'tensor<2x8x32xf32>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B z(%z) : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>, tensor<2x8x32xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}
