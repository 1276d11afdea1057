// The dtype in the name is the activation type: f32 here.
func.func @dtype_f32(%u: tensor<?x1536x?xf32>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xf32>) -> tensor<?x1536x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %B, %B {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xf32>, tensor<?x1536x?xf32>, tensor<1536x16xf32>, tensor<?x1x16x?xf32>, tensor<?x1x16x?xf32>) -> tensor<?x1536x?xf32>
  return %y : tensor<?x1536x?xf32>
}
