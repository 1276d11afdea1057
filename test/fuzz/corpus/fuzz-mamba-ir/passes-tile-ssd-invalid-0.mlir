// Every diagnostic of mamba-tile-ssd: the verifyTile rules of
// passes/TileSsd.cpp on a given tile (tile.mlir), and the parse of the
// `tile` override option (one file per option value), and the `arch` option. The ssd verifier
// already requires every dim the kernel is specialised on to be static.

//--- tile.mlir

func.func @unknown_parameter(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{tile has unknown parameter 'items' (expected: chunk, p_tile, warps, stages, segments)}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 1, items = 8>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
