// 32 warps of the ssd kernel: it takes 16 at most.
func.func @too_many_warps_ssd(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op tile parameter 'warps' must be 2, 4, 8 or 16, got 32}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 32, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
