// A hand-edited tile is re-verified before printing.
func.func @broken_tile(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op tile parameter 'items' must be 1, 2, 4 or 8, got 16}}
  %y = mamba.silu %x {kernel = "mamba_silu_bf16_0", launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 256, items = 16>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
