// Parameters of both variants at once.
func.func @by_state_mixed(%u: tensor<1x128x?xf32>, %A: tensor<128x16xf32>) -> tensor<1x128x?xf32> {
  // expected-error @+1 {{tile has unknown parameter 'items' (expected: warps, steps)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A {tile = #mamba.tile<warps = 4, steps = 64, items = 8>} : (tensor<1x128x?xf32>, tensor<1x128x?xf32>, tensor<128x16xf32>, tensor<128x16xf32>, tensor<128x16xf32>) -> tensor<1x128x?xf32>
  return %y : tensor<1x128x?xf32>
}

//--- unknown.mlir

func.func @override_unknown(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{unknown tile parameter 'bogus' for mamba.selective_scan (parameters: warps, channels_per_warp, items, n_tile)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- no-value.mlir

func.func @override_without_value(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{malformed tile override entry 'warps': expected name=integer}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- not-integer.mlir

func.func @override_not_integer(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{malformed tile override entry 'items=eight': expected name=integer}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- no-name.mlir

func.func @override_without_name(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{malformed tile override entry '=4': expected name=integer}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- override-range.mlir

// An override is verified like a written tile.
func.func @override_out_of_range(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  // expected-error @+1 {{tile parameter 'warps' must be in [1, 32], got 64}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

//--- override-items.mlir

// items = 4 is one 16-byte vector of f32 and is accepted; for bf16 the
// override is refused like a written tile.
func.func @override_items_4_f32(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x?xf32>
  return %y : tensor<2x64x?xf32>
}

func.func @override_items_4_bf16(%u: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16> {
  // expected-error @+1 {{tile parameter 'items' must be 4, 8 or 16, and a multiple of the 16-byte vector width, got 4}}
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

//--- unknown-arch.mlir

// The heuristic needs a known target.
// expected-error @+1 {{unknown target arch 'sm_75' (supported: sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a)}}
module {
  func.func @any(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
    %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
    return %y : tensor<?x1536x?xbf16>
  }
}

//--- malformed-arch.mlir

// expected-error @+1 {{unknown target arch 'ampere' (supported: sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a)}}
module {
  func.func @any(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %BC: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
    %y = mamba.selective_scan %u, %u, %A, %BC, %BC : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
    return %y : tensor<?x1536x?xbf16>
  }
}
