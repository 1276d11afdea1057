func.func @warps_too_many(%u: tensor<2x4096x?xf32>, %A: tensor<4096x16xf32>) -> tensor<2x4096x?xf32> {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 64}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 64, channels_per_warp = 1, items = 8, n_tile = 16>} : (tensor<2x4096x?xf32>, tensor<2x4096x?xf32>, tensor<4096x16xf32>, tensor<4096x16xf32>, tensor<4096x16xf32>) -> tensor<2x4096x?xf32>
  return %y : tensor<2x4096x?xf32>
}
