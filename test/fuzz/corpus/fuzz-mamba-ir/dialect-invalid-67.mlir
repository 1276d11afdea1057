func.func @selective_scan_C_state(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>, %C: tensor<2x16x?xf32>, %C4: tensor<2x1x8x?xf32>) {
  // expected-error @+1 {{expects 'C' of shape (Bt, G, N, L) = (2, 1, 16, ?), got (2, 1, 8, ?) (dim 2, N, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %C, %C4 : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<2x16x?xf32>, tensor<2x1x8x?xf32>) -> tensor<2x64x?xf32>
  return
}
