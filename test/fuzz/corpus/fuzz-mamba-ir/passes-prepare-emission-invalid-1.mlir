// Tiled but not planned: mamba-plan-launch did not run.
func.func @no_launch(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op reached emission without a launch plan; run the mamba-tile-* passes and mamba-plan-launch first}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
