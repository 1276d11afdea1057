// bf16 loads 8 items per 16-byte vector: 4 is half a vector.
func.func @items_4_bf16(%u: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16> {
  // expected-error @+1 {{tile parameter 'items' must be 4, 8 or 16, and a multiple of the 16-byte vector width, got 4}}
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 4, n_tile = 8>} : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}
