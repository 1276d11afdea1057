// Every diagnostic of mamba-tile-selective-state-update: the verifyTile
// rules of passes/TileSelectiveStateUpdate.cpp on a given tile (tile.mlir),
// and the parse of the `tile` override option (one file per option value).
// The head form's verifier already requires a static headdim.

//--- tile.mlir

func.func @dynamic_channels(%s: tensor<?x?x16xf32>, %x: tensor<?x?xbf16>, %A: tensor<?x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x16xf32>) {
  // expected-error @+1 {{'mamba.selective_state_update' op needs a static channel count D for tiling, got '?'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %BC, %BC : (tensor<?x?x16xf32>, tensor<?x?xbf16>, tensor<?x?xbf16>, tensor<?x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x16xf32>)
  return %y, %s1 : tensor<?x?xbf16>, tensor<?x?x16xf32>
}
