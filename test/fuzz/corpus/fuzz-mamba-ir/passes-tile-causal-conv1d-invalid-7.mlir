func.func @c_tile_too_large(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile parameter 'c_tile' must be a power of two <= 256, got 512}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 4, c_tile = 512, threads = 128>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
