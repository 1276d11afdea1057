func.func @selective_scan_A_rank(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %A3: tensor<1x64x16xf32>) {
  // expected-error @+1 {{expects 'A' of rank 2 (D, N), got rank 3}}
  %y = mamba.selective_scan %u, %u, %A3, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<1x64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}
