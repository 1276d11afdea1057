// Without groups the block must still divide D.
func.func @block_does_not_divide_channels(%u: tensor<1x100x?xf32>, %A: tensor<100x16xf32>) -> tensor<1x100x?xf32> {
  // expected-error @+1 {{tile covers 8 channels per block, which must divide the channels of a group of B/C (100)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<1x100x?xf32>, tensor<1x100x?xf32>, tensor<100x16xf32>, tensor<100x16xf32>, tensor<100x16xf32>) -> tensor<1x100x?xf32>
  return %y : tensor<1x100x?xf32>
}
