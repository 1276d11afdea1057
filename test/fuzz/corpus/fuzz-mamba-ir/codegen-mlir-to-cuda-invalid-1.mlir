// Tiled and planned, but never named by mamba-prepare-emission.
func.func @unnamed(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op is not planned for emission (missing 'kernel', 'tile' or 'launch')}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 256, items = 8>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
