// Every diagnostic of mamba-tile-selective-scan: the verifyTile rules of
// passes/TileSelectiveScan.cpp on a given tile (tile.mlir), the parse of
// the `tile` override option (one file per option value), and the `arch`
// option. `items` must be a whole number of 16-byte vectors: 4 is below the
// width of 16-bit activations (8) and is refused for them.

//--- tile.mlir

func.func @dynamic_channels(%u: tensor<?x?x?xf32>, %A: tensor<?x16xf32>) -> tensor<?x?x?xf32> {
  // expected-error @+1 {{'mamba.selective_scan' op needs a static channel count D for tiling, got '?'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}
