func.func @items_32(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile parameter 'items' must be 4, 8 or 16, and a multiple of the 16-byte vector width, got 32}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 32, n_tile = 16>} : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}
