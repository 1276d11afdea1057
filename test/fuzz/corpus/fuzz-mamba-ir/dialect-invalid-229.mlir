func.func @launch_smem_negative(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects smem >= 0, got -1}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [128, 1, 1], smem = -1, regs = 0>} : tensor<4xf32>
  return
}
