func.func @selective_scan_D_bf16(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xf32>, %D: tensor<64xbf16>) {
  // expected-error @+1 {{operand #5 must be ranked tensor of 32-bit float values, but got 'tensor<64xbf16>'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A D(%D) : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64xbf16>) -> tensor<2x64x8xbf16>
  return
}
