// The tile is re-verified against the op's kernel before planning.
func.func @unknown_tile_parameter(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op tile has unknown parameter 'threads' (expected: warps, channels_per_warp, items, n_tile)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<threads = 128, items = 8>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
