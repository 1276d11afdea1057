func.func @selective_scan_C_rank1(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %C: tensor<16xf32>) {
  // expected-error @+1 {{expects 'C' of rank 2 (D, N), 3 (Bt, N, L) or 4 (Bt, G, N, L), got rank 1}}
  %y = mamba.selective_scan %u, %u, %A, %A, %C : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<16xf32>) -> tensor<2x64x8xf32>
  return
}
