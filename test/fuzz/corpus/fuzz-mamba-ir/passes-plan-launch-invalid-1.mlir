// 64 warps would be 2048 threads per block.
func.func @too_many_threads_scan(%u: tensor<?x4096x?xbf16>, %A: tensor<4096x16xf32>, %B: tensor<?x1x16x?xbf16>) -> tensor<?x4096x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op tile parameter 'warps' must be in [1, 32], got 64}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 64, channels_per_warp = 1, items = 8, n_tile = 16>} : (tensor<?x4096x?xbf16>, tensor<?x4096x?xbf16>, tensor<4096x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x4096x?xbf16>
  return %y : tensor<?x4096x?xbf16>
}
