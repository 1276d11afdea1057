// A 16 x 8 state is one MMA tile; 4 warps cannot share it.
func.func @state_split(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x8xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{tile cannot split the 16 x 8 state over 4 warps}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 64, p_tile = 16, warps = 4, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x8xbf16>, tensor<1x?x1x8xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
