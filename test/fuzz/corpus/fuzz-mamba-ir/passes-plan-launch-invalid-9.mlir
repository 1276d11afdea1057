// A tile on an op that has no generated kernel.
func.func @tile_on_library_call(%x: tensor<?x768xbf16>, %w: tensor<1536x768xbf16>) -> tensor<?x1536xbf16> {
  // expected-error @+1 {{'mamba.linear' op has no generated kernel to tile}}
  %y = mamba.linear %x, %w {tile = #mamba.tile<threads = 128>} : (tensor<?x768xbf16>, tensor<1536x768xbf16>) -> tensor<?x1536xbf16>
  return %y : tensor<?x1536xbf16>
}

//--- sm86.mlir

// (512 + 3) x (64 + 1) f32 = 133900 bytes: fine on sm_80 and sm_90
// (plan-launch.mlir), over sm_86's 101376.
func.func @smem_over_sm86(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.causal_conv1d' op launch plan needs 133900 bytes of shared memory per block, more than sm_86 allows (101376)}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 512, c_tile = 64, threads = 256>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
