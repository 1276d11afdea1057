func.func @launch_block_zero(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects block extents >= 1, got 0}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [128, 0, 1], smem = 0, regs = 0>} : tensor<4xf32>
  return
}
