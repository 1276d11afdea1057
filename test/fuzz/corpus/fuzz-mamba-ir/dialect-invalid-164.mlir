func.func @ssd_out_type(%x: tensor<2x16x8x64xf16>, %dt: tensor<2x16x8xf16>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf16>) {
  // expected-error @+1 {{expects 'out' to have the type of 'x' ('tensor<2x16x8x64xf16>'), got 'tensor<2x16x8x64xbf16>'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf16>, tensor<2x16x8xf16>, tensor<8xf32>, tensor<2x16x1x16xf16>, tensor<2x16x1x16xf16>) -> tensor<2x16x8x64xbf16>
  return
}
