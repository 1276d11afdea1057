func.func @unknown_parameter(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile has unknown parameter 'warps' (expected: l_tile, c_tile, threads)}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 256, c_tile = 4, threads = 128, warps = 4>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
