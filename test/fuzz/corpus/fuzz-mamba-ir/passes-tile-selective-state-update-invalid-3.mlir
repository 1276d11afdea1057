func.func @missing_parameter(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{tile lacks parameter 'lanes_per_row'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<warps = 4>} : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}
