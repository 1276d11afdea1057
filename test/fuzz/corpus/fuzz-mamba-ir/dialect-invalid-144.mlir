func.func @ssd_dstate_dynamic(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x?xf32>) {
  // expected-error @+1 {{expects d_state to be static}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x?xf32>, tensor<2x16x1x?xf32>) -> tensor<2x16x8x64xf32>
  return
}
