// d_state 24 neither divides 32 nor is a multiple of it.
func.func @by_state_d_state(%u: tensor<1x128x?xf32>, %A: tensor<128x24xf32>) -> tensor<1x128x?xf32> {
  // expected-error @+1 {{the state-parallel tile {warps, steps} needs a d_state that divides 32 or is a multiple of 32, got 24}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, steps = 64>} : (tensor<1x128x?xf32>, tensor<1x128x?xf32>, tensor<128x24xf32>, tensor<128x24xf32>, tensor<128x24xf32>) -> tensor<1x128x?xf32>
  return %y : tensor<1x128x?xf32>
}
