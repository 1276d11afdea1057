func.func @channels_per_warp_3(%u: tensor<2x96x?xf32>, %A: tensor<96x16xf32>) -> tensor<2x96x?xf32> {
  // expected-error @+1 {{tile parameter 'channels_per_warp' must be 1, 2 or 4, got 3}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 3, items = 8, n_tile = 16>} : (tensor<2x96x?xf32>, tensor<2x96x?xf32>, tensor<96x16xf32>, tensor<96x16xf32>, tensor<96x16xf32>) -> tensor<2x96x?xf32>
  return %y : tensor<2x96x?xf32>
}
