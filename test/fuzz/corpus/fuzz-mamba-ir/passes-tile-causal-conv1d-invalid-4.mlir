func.func @l_tile_not_pow2(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.causal_conv1d' op tile parameter 'l_tile' must be a power of two <= 1024, got 100}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 100, c_tile = 4, threads = 32>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
