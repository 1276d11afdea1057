func.func @selective_scan_A_vs_u_channels(%u: tensor<2x64x8xf32>, %A: tensor<32x16xf32>) {
  // expected-error @+1 {{expects 'A' of shape (D, N) = (64, 16), got (32, 16) (dim 0, D, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x16xf32>) -> tensor<2x64x8xf32>
  return
}
