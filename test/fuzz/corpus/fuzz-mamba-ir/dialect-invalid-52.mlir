func.func @selective_scan_B_channels_dynamic_u(%u: tensor<2x?x8xf32>, %A: tensor<32x16xf32>, %B: tensor<64x16xf32>) {
  // expected-error @+1 {{expects 'B' of shape (D, N) = (32, 16), got (64, 16) (dim 0, D, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B : (tensor<2x?x8xf32>, tensor<2x?x8xf32>, tensor<32x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x?x8xf32>
  return
}
