func.func @launch_grid_zero(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects grid extents >= 1 or '?', got 0}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [?, 0, 1], block = [128, 1, 1], smem = 0, regs = 0>} : tensor<4xf32>
  return
}
