func.func @selective_scan_dstate_zero(%u: tensor<2x64x8xf32>, %A: tensor<64x0xf32>) {
  // expected-error @+1 {{expects d_state to be a multiple of 8 in [8, 256], got 0}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x0xf32>, tensor<64x0xf32>, tensor<64x0xf32>) -> tensor<2x64x8xf32>
  return
}
