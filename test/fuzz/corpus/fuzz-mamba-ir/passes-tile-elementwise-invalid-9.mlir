func.func @items_16(%ids: tensor<?xi32>, %table: tensor<100x64xf16>) -> tensor<?x64xf16> {
  // expected-error @+1 {{'mamba.embedding' op tile parameter 'items' must be 1, 2, 4 or 8, got 16}}
  %y = mamba.embedding %ids, %table {tile = #mamba.tile<threads = 128, items = 16>} : (tensor<?xi32>, tensor<100x64xf16>) -> tensor<?x64xf16>
  return %y : tensor<?x64xf16>
}

//--- unknown.mlir

func.func @override_unknown(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{unknown tile parameter 'warps' for mamba.silu (parameters: threads, items)}}
  %y = mamba.silu %x : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

//--- malformed.mlir

// Empty entries are skipped; 'items=x' is not.
func.func @override_malformed(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{malformed tile override entry 'items=x': expected name=integer}}
  %y = mamba.silu %x : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

//--- override-range.mlir

func.func @override_out_of_range(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile parameter 'items' must be 1, 2, 4 or 8, got 16}}
  %y = mamba.silu %x : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
