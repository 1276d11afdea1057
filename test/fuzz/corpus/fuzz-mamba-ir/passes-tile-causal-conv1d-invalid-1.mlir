// A given tile does not make a dynamic channel count acceptable.
func.func @dynamic_channels_given_tile(%x: tensor<?x?x?xbf16>, %w: tensor<?x4xbf16>) -> tensor<?x?x?xbf16> {
  // expected-error @+1 {{needs a static channel count D for tiling, got '?'}}
  %y = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_last>, tile = #mamba.tile<l_tile = 64, c_tile = 64, threads = 128>} : (tensor<?x?x?xbf16>, tensor<?x4xbf16>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}
