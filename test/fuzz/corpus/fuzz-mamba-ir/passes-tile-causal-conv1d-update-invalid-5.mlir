func.func @threads_not_warp_multiple(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  // expected-error @+1 {{'mamba.causal_conv1d_update' op tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 100}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<threads = 100>} : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}
