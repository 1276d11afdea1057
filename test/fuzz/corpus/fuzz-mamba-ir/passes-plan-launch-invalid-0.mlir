// Every diagnostic of mamba-plan-launch: the arch, the per-arch shared
// memory limit, and the tile rules it re-checks before planning (a tile that
// would ask for more than 1024 threads per block is refused by the rule of
// its parameter, which names it).

//--- sm90.mlir

// (1024 + 3) x (64 + 1) f32 = 267020 bytes exceed even sm_90.
func.func @smem_over_sm90(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.causal_conv1d' op launch plan needs 267020 bytes of shared memory per block, more than sm_90 allows (232448)}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 1024, c_tile = 64, threads = 256>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
