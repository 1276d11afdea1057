func.func @launch_regs_negative(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects regs in [0, 255], got -1}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [128, 1, 1], smem = 0, regs = -1>} : tensor<4xf32>
  return
}
