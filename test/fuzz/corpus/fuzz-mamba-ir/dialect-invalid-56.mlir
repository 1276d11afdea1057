func.func @selective_scan_rank3_B_length(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16x9xf32>) {
  // expected-error @+1 {{expects 'B' of shape (Bt, N, L) = (2, 16, 8), got (2, 16, 9) (dim 2, L, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<2x16x9xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}
