func.func @selective_scan_z_type(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xf32>, %z: tensor<2x64x8xf16>) {
  // expected-error @+1 {{expects 'z' to have the type of 'u' ('tensor<2x64x8xbf16>'), got 'tensor<2x64x8xf16>'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A z(%z) : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<2x64x8xf16>) -> tensor<2x64x8xbf16>
  return
}
