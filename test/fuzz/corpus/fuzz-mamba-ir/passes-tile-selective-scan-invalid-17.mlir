// 4 warps of 2 channels (N = 16) are 8 channels, more than a group of 4.
func.func @by_state_groups(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x384x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile covers 8 channels per block, which must divide the channels of a group of B/C (4)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 4, steps = 64>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x384x16x?xbf16>, tensor<?x384x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
