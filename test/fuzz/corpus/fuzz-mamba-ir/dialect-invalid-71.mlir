func.func @selective_scan_delta_bias_shape(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %db: tensor<64x1xf32>) {
  // expected-error @+1 {{expects 'delta_bias' of rank 1 (D), got rank 2 (64, 1)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A delta_bias(%db) : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x1xf32>) -> tensor<2x64x8xf32>
  return
}
