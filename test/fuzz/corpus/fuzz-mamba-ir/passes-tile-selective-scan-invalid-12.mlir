func.func @n_tile_too_large(%u: tensor<2x64x?xf32>, %A: tensor<64x128xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile parameter 'n_tile' must be a divisor of d_state no larger than 64, got 128}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 128>} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}
