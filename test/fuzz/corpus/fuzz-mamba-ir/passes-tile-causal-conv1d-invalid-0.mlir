// Every diagnostic of mamba-tile-causal-conv1d: the verifyTile rules of
// passes/TileCausalConv1d.cpp on a given tile (tile.mlir), and the parse of
// the `tile` override option (one file per option value).

//--- tile.mlir

func.func @dynamic_channels(%x: tensor<?x?x?xbf16>, %w: tensor<?x4xbf16>) -> tensor<?x?x?xbf16> {
  // expected-error @+1 {{'mamba.causal_conv1d' op needs a static channel count D for tiling, got '?'}}
  %y = mamba.causal_conv1d %x, %w : (tensor<?x?x?xbf16>, tensor<?x4xbf16>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}
