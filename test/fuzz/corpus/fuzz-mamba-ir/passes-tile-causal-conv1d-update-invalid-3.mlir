func.func @unknown_parameter(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  // expected-error @+1 {{tile has unknown parameter 'items' (expected: threads)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<threads = 128, items = 4>} : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}
