// Every diagnostic of mamba-tile-norms: the verifyTile rules of
// passes/TileNorms.cpp on a given tile (tile.mlir), and the parse of the
// `tile` override option (one file per option value).

//--- tile.mlir

func.func @dynamic_row(%x: tensor<?x?xbf16>, %w: tensor<?xbf16>) -> tensor<?x?xbf16> {
  // expected-error @+1 {{'mamba.rms_norm' op needs a static row length for tiling, got '?'}}
  %y = mamba.rms_norm %x, %w : (tensor<?x?xbf16>, tensor<?xbf16>) -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}
