// A given tile does not make a dynamic state length acceptable.
func.func @dynamic_state_len_given_tile(%x: tensor<?x64xbf16>, %s: tensor<?x64x?xbf16>, %w: tensor<64x4xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x?xbf16>) {
  // expected-error @+1 {{needs a static conv state length K for tiling, got '?'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<threads = 128>} : (tensor<?x64xbf16>, tensor<?x64x?xbf16>, tensor<64x4xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x?xbf16>)
  return %y, %s1 : tensor<?x64xbf16>, tensor<?x64x?xbf16>
}
