// One case per diagnostic path of the verifiers in dialect/MambaOps.cpp and
// dialect/MambaDialect.cpp, plus the ODS type constraints.

//===----------------------------------------------------------------------===//
// causal_conv1d
//===----------------------------------------------------------------------===//

func.func @causal_conv1d_x_rank_channel_first(%x: tensor<2x64xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'x' of rank 3 (Bt, D, L) for layout channel_first, got rank 2}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64xf32>, tensor<64x4xf32>) -> tensor<2x64xf32>
  return
}
