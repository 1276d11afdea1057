// The ssd's stages are part of its tile, so of its name: one and two stages
// of the same op are two kernels.
func.func @ssd_stages(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> (tensor<1x?x24x64xbf16>, tensor<1x?x24x64xbf16>) {
  %a = mamba.ssd %x, %dt, %A, %BC, %BC {launch = #mamba.launch<grid = [48, ?, 1], block = [128, 1, 1], smem = 58368, regs = 255>, tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  %b = mamba.ssd %x, %dt, %A, %BC, %BC {launch = #mamba.launch<grid = [48, ?, 1], block = [128, 1, 1], smem = 98816, regs = 255>, tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %a, %b : tensor<1x?x24x64xbf16>, tensor<1x?x24x64xbf16>
}
