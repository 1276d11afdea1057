func.func @selective_scan_dstate_dynamic(%u: tensor<2x64x8xf32>, %A: tensor<64x?xf32>) {
  // expected-error @+1 {{expects d_state to be static (kernels are specialised on it), got '?'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x?xf32>, tensor<64x?xf32>, tensor<64x?xf32>) -> tensor<2x64x8xf32>
  return
}
