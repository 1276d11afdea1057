func.func @selective_scan_u_rank(%u: tensor<2x64xf32>, %A: tensor<64x16xf32>) {
  // expected-error @+1 {{expects 'u' of rank 3 (Bt, D, L), got rank 2}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64xf32>
  return
}
