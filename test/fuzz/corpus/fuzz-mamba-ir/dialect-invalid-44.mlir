func.func @selective_scan_delta_type(%u: tensor<2x64x8xbf16>, %dt: tensor<2x64x8xf32>, %A: tensor<64x16xf32>) {
  // expected-error @+1 {{expects 'delta' to have the type of 'u' ('tensor<2x64x8xbf16>'), got 'tensor<2x64x8xf32>'}}
  %y = mamba.selective_scan %u, %dt, %A, %A, %A : (tensor<2x64x8xbf16>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xbf16>
  return
}
