func.func @launch_grid_extents(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects 3 grid and 3 block extents, got 2 and 3}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1], block = [128, 1, 1], smem = 0, regs = 0>} : tensor<4xf32>
  return
}
