// Every diagnostic of mamba-tile-causal-conv1d-update: the verifyTile rules
// of passes/TileCausalConv1dUpdate.cpp on a given tile (tile.mlir), and the
// parse of the `tile` override option (one file per option value).

//--- tile.mlir

func.func @dynamic_channels(%x: tensor<?x?xbf16>, %s: tensor<?x?x4xbf16>, %w: tensor<?x4xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x4xbf16>) {
  // expected-error @+1 {{'mamba.causal_conv1d_update' op needs a static channel count D for tiling, got '?'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x?xbf16>, tensor<?x?x4xbf16>, tensor<?x4xbf16>) -> (tensor<?x?xbf16>, tensor<?x?x4xbf16>)
  return %y, %s1 : tensor<?x?xbf16>, tensor<?x?x4xbf16>
}
