func.func @selective_scan_groups_dynamic(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<2x?x16x8xf32>) {
  // expected-error @+1 {{expects ngroups to be static (kernels are specialised on it), got '?'}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<2x?x16x8xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}
