// A given tile does not make a dynamic channel count acceptable.
func.func @dynamic_channels_given_tile(%u: tensor<?x?x?xf32>, %A: tensor<?x16xf32>) -> tensor<?x?x?xf32> {
  // expected-error @+1 {{needs a static channel count D for tiling, got '?'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}
