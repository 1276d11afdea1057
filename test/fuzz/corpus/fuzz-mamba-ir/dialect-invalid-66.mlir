func.func @selective_scan_C_groups(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %C: tensor<2x5x16x8xf32>) {
  // expected-error @+1 {{expects ngroups (5) to divide channels D (64)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %C : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<2x5x16x8xf32>) -> tensor<2x64x8xf32>
  return
}
