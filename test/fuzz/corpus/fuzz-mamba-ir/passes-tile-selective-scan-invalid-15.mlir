// The state-parallel variant: steps must be a multiple of the lanes per
// channel (16 at N = 16).
func.func @by_state_steps(%u: tensor<1x128x?xf32>, %A: tensor<128x16xf32>) -> tensor<1x128x?xf32> {
  // expected-error @+1 {{tile parameter 'steps' must be in [4, 256], a multiple of 4 and of the 16 lanes per channel, got 24}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, steps = 24>} : (tensor<1x128x?xf32>, tensor<1x128x?xf32>, tensor<128x16xf32>, tensor<128x16xf32>, tensor<128x16xf32>) -> tensor<1x128x?xf32>
  return %y : tensor<1x128x?xf32>
}
