// Used to be accepted: a dangling `else` skipped every check of a rank > 3 B.
func.func @selective_scan_B_rank5(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<2x1x16x8x1xf32>) {
  // expected-error @+1 {{expects 'B' of rank 2 (D, N), 3 (Bt, N, L) or 4 (Bt, G, N, L), got rank 5}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<2x1x16x8x1xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}
