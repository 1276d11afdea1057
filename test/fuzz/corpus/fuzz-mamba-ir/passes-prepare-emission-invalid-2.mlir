// A launch without the tile it came from.
func.func @no_tile(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op reached emission without a tile plan}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
