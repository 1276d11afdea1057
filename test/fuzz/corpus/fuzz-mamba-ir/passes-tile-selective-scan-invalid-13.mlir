// 384 groups of B: 4 channels per group, a block of 4 x 2 channels would
// read two groups.
func.func @block_spans_groups(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x384x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile covers 8 channels per block, which must divide the channels of a group of B/C (4)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x384x16x?xbf16>, tensor<?x384x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
