func.func @selective_scan_A_bf16(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xbf16>, %B: tensor<64x16xf32>) {
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit float values, but got 'tensor<64x16xbf16>'}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xbf16>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xbf16>
  return
}
