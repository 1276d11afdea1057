func.func @selective_scan_rank4_B_batch(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<4x2x16x8xf32>) {
  // expected-error @+1 {{expects 'B' of shape (Bt, G, N, L) = (2, 2, 16, 8), got (4, 2, 16, 8) (dim 0, Bt, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<4x2x16x8xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}
