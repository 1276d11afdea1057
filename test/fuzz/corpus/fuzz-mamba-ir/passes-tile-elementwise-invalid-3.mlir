// A given tile does not make a dynamic vector acceptable.
func.func @dynamic_channel_vector_given_tile(%x: tensor<?x?x24x?xbf16>, %w: tensor<24x?xf32>) -> tensor<?x?x24x?xbf16> {
  // expected-error @+1 {{'mamba.channel_add' op needs a static channel vector length for tiling, got '?'}}
  %y = mamba.channel_add %x, %w {dim = 2 : i64, tile = #mamba.tile<threads = 256, items = 8>} : (tensor<?x?x24x?xbf16>, tensor<24x?xf32>) -> tensor<?x?x24x?xbf16>
  return %y : tensor<?x?x24x?xbf16>
}
