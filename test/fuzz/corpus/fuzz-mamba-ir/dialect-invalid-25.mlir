func.func @causal_conv1d_segment_sizes(%x: tensor<2x64x8xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{operand count (2) does not match with the total size (3) specified in attribute 'operandSegmentSizes'}}
  %y = "mamba.causal_conv1d"(%x, %w) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}> : (tensor<2x64x8xf32>, tensor<64x4xf32>) -> tensor<2x64x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// causal_conv1d_update
//===----------------------------------------------------------------------===//
