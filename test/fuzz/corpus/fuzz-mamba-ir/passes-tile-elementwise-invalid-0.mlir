// Every diagnostic of mamba-tile-elementwise: the verifyTile rules of
// passes/TileElementwise.cpp on a given tile (tile.mlir), and the parse of
// the `tile` override option (one file per option value).

//--- tile.mlir

func.func @dynamic_embedding_width(%ids: tensor<?x?xi32>, %table: tensor<50280x?xbf16>) -> tensor<?x?x?xbf16> {
  // expected-error @+1 {{'mamba.embedding' op needs a static embedding width for tiling, got '?'}}
  %y = mamba.embedding %ids, %table : (tensor<?x?xi32>, tensor<50280x?xbf16>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}
