func.func @ssd_heads_dynamic(%x: tensor<2x16x?x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects nheads to be static (kernels are specialised on it), got '?'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x?x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x?x64xf32>
  return
}
