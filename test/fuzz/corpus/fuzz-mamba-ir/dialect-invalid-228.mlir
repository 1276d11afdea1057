// A block extent is never run-time; the message names the '?' as written.
func.func @launch_block_dynamic(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects block extents >= 1, got '?'}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [?, 1, 1], smem = 0, regs = 0>} : tensor<4xf32>
  return
}
