// A `tile` that is not a #mamba.tile is no tile plan.
func.func @tile_of_wrong_kind(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op reached emission without a tile plan}}
  %y = mamba.silu %x {tile = 256 : i64, launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
