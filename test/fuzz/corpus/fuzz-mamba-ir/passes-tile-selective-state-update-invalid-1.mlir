// A given tile does not make a dynamic channel count acceptable.
func.func @dynamic_channels_given_tile(%s: tensor<?x?x16xf32>, %x: tensor<?x?xbf16>, %A: tensor<?x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x16xf32>) {
  // expected-error @+1 {{needs a static channel count D for tiling, got '?'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 4, warps = 4>} : (tensor<?x?x16xf32>, tensor<?x?xbf16>, tensor<?x?xbf16>, tensor<?x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x16xf32>)
  return %y, %s1 : tensor<?x?xbf16>, tensor<?x?x16xf32>
}
