func.func @dynamic_channel_vector(%x: tensor<?x?x?xbf16>, %w: tensor<?xf32>) -> tensor<?x?x?xbf16> {
  // expected-error @+1 {{'mamba.channel_mul' op needs a static channel vector length for tiling, got '?'}}
  %y = mamba.channel_mul %x, %w {dim = 1 : i64} : (tensor<?x?x?xbf16>, tensor<?xf32>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}
