func.func @packed_scan_last_state(%u: tensor<1x64x?xf32>, %A: tensor<64x16xf32>, %cu: tensor<4xi32>) {
  // expected-error @+1 {{expects 'last_state' of shape (S, D, N) = (3, 64, 16), got (1, 64, 16) (dim 0, S, differs)}}
  %y, %s = mamba.selective_scan %u, %u, %A, %A, %A cu_seqlens(%cu) : (tensor<1x64x?xf32>, tensor<1x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<4xi32>) -> (tensor<1x64x?xf32>, tensor<1x64x16xf32>)
  return
}
