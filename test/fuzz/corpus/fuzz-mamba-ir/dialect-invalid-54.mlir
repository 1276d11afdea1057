func.func @selective_scan_const_B_state(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<64x32xf32>) {
  // expected-error @+1 {{expects 'B' of shape (D, N) = (64, 16), got (64, 32) (dim 1, N, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x32xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}
