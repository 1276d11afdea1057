// Planned ops before it do not excuse an unplanned one after them.
func.func @one_unplanned(%x: tensor<?x768xbf16>, %s: tensor<?x768x4xbf16>, %w: tensor<768x4xbf16>) -> tensor<?x768xbf16> {
  %y = mamba.silu %x {launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 256, items = 8>} : tensor<?x768xbf16>
  // expected-error @+1 {{'mamba.causal_conv1d_update' op reached emission without a tile plan}}
  %z, %s1 = mamba.causal_conv1d_update %y, %s, %w : (tensor<?x768xbf16>, tensor<?x768x4xbf16>, tensor<768x4xbf16>) -> (tensor<?x768xbf16>, tensor<?x768x4xbf16>)
  return %z : tensor<?x768xbf16>
}
