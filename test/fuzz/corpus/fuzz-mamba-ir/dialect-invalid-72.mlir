func.func @selective_scan_initial_state_shape(%u: tensor<?x64x8xf32>, %A: tensor<64x16xf32>, %s0: tensor<?x64x32xf32>) {
  // expected-error @+1 {{expects 'initial_state' of shape (Bt, D, N) = (?, 64, 16), got (?, 64, 32) (dim 2, N, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A initial_state(%s0) : (tensor<?x64x8xf32>, tensor<?x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<?x64x32xf32>) -> tensor<?x64x8xf32>
  return
}
