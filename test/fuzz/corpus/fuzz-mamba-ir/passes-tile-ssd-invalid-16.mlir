// A 32 x 24 state is 2 x 3 MMA tiles: 4 warps take 2 rows each, and 3
// columns do not split over 2.
func.func @state_split_columns(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x24xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{tile cannot split the 32 x 24 state over 4 warps}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x24xbf16>, tensor<1x?x1x24xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

//--- unknown.mlir

func.func @override_unknown(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{unknown tile parameter 'bogus' for mamba.ssd (parameters: chunk, p_tile, warps, stages, segments)}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

//--- no-value.mlir

func.func @override_without_value(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{malformed tile override entry 'chunk': expected name=integer}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

//--- not-integer.mlir

func.func @override_not_integer(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{malformed tile override entry 'chunk=64.5': expected name=integer}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

//--- override-rule.mlir

// warps 2 alone leaves the heuristic's chunk of 64 (4 row tiles): the
// override is verified like a written tile.
func.func @override_breaks_rule(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{tile must give each 16-row tile of the chunk the same number of warps: warps must be a multiple of chunk / 16 = 4, got 2}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

//--- override-stages.mlir

// The override is verified like a written tile.
func.func @override_stages_3(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{tile parameter 'stages' must be 1 or 2, got 3}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

//--- unknown-arch.mlir

// The heuristic needs a known target.
// expected-error @+1 {{unknown target arch 'sm_75' (supported: sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a)}}
module {
  func.func @any(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
    %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
    return %y : tensor<1x?x24x64xbf16>
  }
}
