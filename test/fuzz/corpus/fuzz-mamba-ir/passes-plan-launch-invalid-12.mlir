// f32 with d_state 256 at items 16, what the sm_90 heuristic picks: 2 x (2 x
// 8 x 512 + 2 x 4 x 512) x 4 + 4 x 256 x 4 = 102400 bytes, just over sm_86's
// 101376 (the sm_86 heuristic takes items 4, tile-selective-scan.mlir).
func.func @scan_sm90_tile_over_sm86(%u: tensor<?x1536x?xf32>, %A: tensor<1536x256xf32>, %BC: tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32> {
  // expected-error @+1 {{'mamba.selective_scan' op launch plan needs 102400 bytes of shared memory per block, more than sm_86 allows (101376)}}
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>} : (tensor<?x1536x?xf32>, tensor<?x1536x?xf32>, tensor<1536x256xf32>, tensor<?x1x256x?xf32>, tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32>
  return %y : tensor<?x1536x?xf32>
}

//--- sm89.mlir

func.func @smem_over_sm89(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{launch plan needs 133900 bytes of shared memory per block, more than sm_89 allows (101376)}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 512, c_tile = 64, threads = 256>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

//--- sm80.mlir

// 2 x (2 x 8 x 512 + 2 x 32 x 512) x 2 + 32 x 256 x 4 = 196608 bytes: fine
// on sm_90 (plan-launch.mlir), over sm_80's 166912.
func.func @smem_over_sm80(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x256xf32>, %B: tensor<?x1x256x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op launch plan needs 196608 bytes of shared memory per block, more than sm_80 allows (166912)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 8, channels_per_warp = 4, items = 16, n_tile = 8>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x256xf32>, tensor<?x1x256x?xbf16>, tensor<?x1x256x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
