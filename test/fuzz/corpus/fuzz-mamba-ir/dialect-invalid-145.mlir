func.func @ssd_dstate_too_large(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x512xf32>) {
  // expected-error @+1 {{expects d_state <= 256, got 512}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x512xf32>, tensor<2x16x1x512xf32>) -> tensor<2x16x8x64xf32>
  return
}
