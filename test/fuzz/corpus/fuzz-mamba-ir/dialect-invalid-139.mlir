func.func @ssd_A_bf16(%x: tensor<2x16x8x64xbf16>, %dt: tensor<2x16x8xbf16>, %A: tensor<8xbf16>, %B: tensor<2x16x1x16xbf16>) {
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit float values, but got 'tensor<8xbf16>'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xbf16>, tensor<2x16x8xbf16>, tensor<8xbf16>, tensor<2x16x1x16xbf16>, tensor<2x16x1x16xbf16>) -> tensor<2x16x8x64xbf16>
  return
}
