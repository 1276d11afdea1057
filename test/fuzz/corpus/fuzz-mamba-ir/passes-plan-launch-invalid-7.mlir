// A scan tile of 4 bf16 items (half a 16-byte vector, allowed before the
// kernel loaded whole vectors) is refused when re-verified.
func.func @scan_items_4_bf16(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op tile parameter 'items' must be 4, 8 or 16, and a multiple of the 16-byte vector width, got 4}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 8, channels_per_warp = 1, items = 4, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
