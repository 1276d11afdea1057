// gated_rms_norm normalises one group per block: 256 < 512.
func.func @group_not_covered(%x: tensor<?x1024xbf16>, %w: tensor<1024xbf16>, %z: tensor<?x1024xbf16>) -> tensor<?x1024xbf16> {
  // expected-error @+1 {{'mamba.gated_rms_norm' op tile covers 32 x 8 columns, fewer than the 512 a block normalises}}
  %y = mamba.gated_rms_norm %x, %w z(%z) {group_size = 512 : i64, tile = #mamba.tile<threads = 32, items = 8>} : (tensor<?x1024xbf16>, tensor<1024xbf16>, tensor<?x1024xbf16>) -> tensor<?x1024xbf16>
  return %y : tensor<?x1024xbf16>
}

//--- unknown.mlir

func.func @override_unknown(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{unknown tile parameter 'warps' for mamba.rms_norm (parameters: threads, items)}}
  %y = mamba.rms_norm %x, %w : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

//--- malformed.mlir

func.func @override_malformed(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{malformed tile override entry 'threads:128': expected name=integer}}
  %y = mamba.rms_norm %x, %w : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

//--- override-rule.mlir

// One item per thread leaves the heuristic's 96 threads short of the row.
func.func @override_breaks_rule(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{tile covers 96 x 1 columns, fewer than the 768 a block normalises}}
  %y = mamba.rms_norm %x, %w : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
