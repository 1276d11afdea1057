func.func @selective_scan_dstate_too_large(%u: tensor<2x64x8xf32>, %A: tensor<64x512xf32>) {
  // expected-error @+1 {{expects d_state <= 256, got 512}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x512xf32>, tensor<64x512xf32>, tensor<64x512xf32>) -> tensor<2x64x8xf32>
  return
}
