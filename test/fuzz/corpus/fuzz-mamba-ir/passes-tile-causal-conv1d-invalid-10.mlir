// 16 x 4 outputs for 128 threads: threads would share an output.
func.func @outputs_per_thread(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile's l_tile * c_tile must be a multiple of threads (each thread computes whole outputs)}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 16, c_tile = 4, threads = 128>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

//--- unknown.mlir

func.func @override_unknown(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{unknown tile parameter 'width' for mamba.causal_conv1d (parameters: l_tile, c_tile, threads)}}
  %y = mamba.causal_conv1d %x, %w : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

//--- no-value.mlir

func.func @override_without_value(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{malformed tile override entry 'l_tile': expected name=integer}}
  %y = mamba.causal_conv1d %x, %w : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

//--- override-rule.mlir

// 8 positions x 4 channels cannot feed the heuristic's 128 threads.
func.func @override_breaks_rule(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{tile's l_tile * c_tile must be a multiple of threads}}
  %y = mamba.causal_conv1d %x, %w : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
