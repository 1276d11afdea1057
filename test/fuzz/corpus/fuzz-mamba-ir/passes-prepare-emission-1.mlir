// The same op in another function still gets the name of the first case.
func.func @same_specialisation_elsewhere(%w: tensor<?x1536x?xbf16>, %A2: tensor<1536x16xf32>, %B2: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %r = mamba.selective_scan %w, %w, %A2, %B2, %B2 {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %r : tensor<?x1536x?xbf16>
}
