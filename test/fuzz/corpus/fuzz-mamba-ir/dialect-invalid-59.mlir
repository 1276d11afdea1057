func.func @selective_scan_groups_zero(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<2x0x16x8xf32>) {
  // expected-error @+1 {{expects ngroups >= 1, got 0}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<2x0x16x8xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}
