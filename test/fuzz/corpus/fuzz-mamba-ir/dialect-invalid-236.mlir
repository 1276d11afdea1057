func.func @packed_scan_rank(%u: tensor<1x64x?xf32>, %A: tensor<64x16xf32>, %cu: tensor<1x3xi32>) {
  // expected-error @+1 {{expects 'cu_seqlens' of rank 1 (S+1), got rank 2}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A cu_seqlens(%cu) : (tensor<1x64x?xf32>, tensor<1x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<1x3xi32>) -> tensor<1x64x?xf32>
  return
}
