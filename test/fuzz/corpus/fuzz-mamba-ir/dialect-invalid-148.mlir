func.func @ssd_B_type(%x: tensor<2x16x8x64xbf16>, %dt: tensor<2x16x8xbf16>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects 'B' element type 'bf16' (the element type of x), got 'f32'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xbf16>, tensor<2x16x8xbf16>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xbf16>
  return
}
