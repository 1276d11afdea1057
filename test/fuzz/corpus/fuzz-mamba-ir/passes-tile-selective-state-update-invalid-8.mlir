func.func @warps_too_many(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 33}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC {tile = #mamba.tile<lanes_per_row = 4, warps = 33>} : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

//--- unknown.mlir

func.func @override_unknown(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{unknown tile parameter 'rows' for mamba.selective_state_update (parameters: lanes_per_row, warps)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

//--- no-value.mlir

func.func @override_without_value(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{malformed tile override entry 'lanes_per_row=': expected name=integer}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}

//--- override-rule.mlir

// d_state 16 has no room for 32 lanes.
func.func @override_breaks_rule(%s: tensor<?x24x64x16xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>) {
  // expected-error @+1 {{tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 32}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x24x64x16xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>
}
