func.func @segments_0(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op tile parameter 'segments' must be 1 to 8, got 0}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 1, segments = 0>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
