func.func @threads_not_warp_multiple(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 48}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 256, c_tile = 4, threads = 48>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
