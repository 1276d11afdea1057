func.func @warps_too_many(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 33}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64, tile = #mamba.tile<lanes_per_row = 4, warps = 33>} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

//--- unknown.mlir

func.func @override_unknown(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{unknown tile parameter 'rows' for mamba.conv_state_update (parameters: lanes_per_row, warps)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

//--- no-value.mlir

func.func @override_without_value(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{malformed tile override entry 'lanes_per_row=': expected name=integer}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}

//--- override-rule.mlir

// d_state 16 has no room for 32 lanes.
func.func @override_breaks_rule(%x: tensor<?x1568xbf16>, %cs: tensor<?x1568x3xbf16>, %w: tensor<1568x4xbf16>, %s: tensor<?x24x64x16xf32>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>) {
  // expected-error @+1 {{tile parameter 'lanes_per_row' must be a power of two <= 32 that divides d_state, got 32}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1552 : i64, ngroups = 1 : i64} : (tensor<?x1568xbf16>, tensor<?x1568x3xbf16>, tensor<1568x4xbf16>, tensor<?x24x64x16xf32>, tensor<?x24xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>)
  return %y, %s1, %cs1 : tensor<?x24x64xbf16>, tensor<?x24x64x16xf32>, tensor<?x1568x3xbf16>
}
