func.func @selective_scan_out_type(%u: tensor<2x64x8xf16>, %A: tensor<64x16xf32>) {
  // expected-error @+1 {{expects 'out' to have the type of 'u' ('tensor<2x64x8xf16>'), got 'tensor<2x64x8xf32>'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf16>, tensor<2x64x8xf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}
