// 8 warps of 4 channels, 16 items, 32 states a tile, d_state 256: 2 x (2 x 32
// x 512 + 2 x 32 x 512) x 2 + 32 x 256 x 4 = 294912 bytes exceed even sm_90.
func.func @scan_smem_over_sm90(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x256xf32>, %B: tensor<?x1x256x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op launch plan needs 294912 bytes of shared memory per block, more than sm_90 allows (232448)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 8, channels_per_warp = 4, items = 16, n_tile = 32>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x256xf32>, tensor<?x1x256x?xbf16>, tensor<?x1x256x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
