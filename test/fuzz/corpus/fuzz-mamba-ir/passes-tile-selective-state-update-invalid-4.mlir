func.func @lanes_not_pow2(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{'mamba.selective_state_update' op tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 3}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 3, warps = 4>} : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}
