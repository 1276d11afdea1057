func.func @dynamic_state_len(%x: tensor<?x64xbf16>, %s: tensor<?x64x?xbf16>, %w: tensor<64x4xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x?xbf16>) {
  // expected-error @+1 {{'mamba.causal_conv1d_update' op needs a static conv state length K for tiling, got '?'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x64xbf16>, tensor<?x64x?xbf16>, tensor<64x4xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x?xbf16>)
  return %y, %s1 : tensor<?x64xbf16>, tensor<?x64x?xbf16>
}
