func.func @selective_scan_last_state_shape(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>) {
  // expected-error @+1 {{expects 'last_state' of shape (Bt, D, N) = (2, 64, 16), got (1, 64, 16) (dim 0, Bt, differs)}}
  %y, %s = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> (tensor<2x64x8xf32>, tensor<1x64x16xf32>)
  return
}
