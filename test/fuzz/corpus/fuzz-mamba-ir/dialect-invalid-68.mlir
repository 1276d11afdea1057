func.func @selective_scan_D_shape(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %D: tensor<16xf32>) {
  // expected-error @+1 {{expects 'D' of shape (D) = (64), got (16) (dim 0, D, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A D(%D) : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<16xf32>) -> tensor<2x64x8xf32>
  return
}
