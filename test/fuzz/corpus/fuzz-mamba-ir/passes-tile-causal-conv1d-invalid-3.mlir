func.func @missing_parameter(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile lacks parameter 'c_tile'}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 256, threads = 128>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
