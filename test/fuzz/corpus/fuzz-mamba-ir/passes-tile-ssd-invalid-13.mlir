// The 8 row tiles of a chunk of 128 cannot share 4 warps.
func.func @chunk_rows_per_warp(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{tile must give each 16-row tile of the chunk the same number of warps: warps must be a multiple of chunk / 16 = 8, got 4}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 4, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
