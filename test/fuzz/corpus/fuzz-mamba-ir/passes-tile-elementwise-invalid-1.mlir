// A given tile does not make a dynamic width acceptable.
func.func @dynamic_embedding_width_given_tile(%ids: tensor<?x?xi32>, %table: tensor<50280x?xbf16>) -> tensor<?x?x?xbf16> {
  // expected-error @+1 {{'mamba.embedding' op needs a static embedding width for tiling, got '?'}}
  %y = mamba.embedding %ids, %table {tile = #mamba.tile<threads = 128, items = 8>} : (tensor<?x?xi32>, tensor<50280x?xbf16>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}
