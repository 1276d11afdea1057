func.func @unknown_parameter(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile has unknown parameter 'threads' (expected: warps, channels_per_warp, items, n_tile)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16, threads = 128>} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}
