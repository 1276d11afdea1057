func.func @causal_conv1d_update_new_state_i8(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf16>, %w: tensor<64x4xf16>) {
  // expected-error @+1 {{result #1 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x64x4xi8>'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf16>, tensor<2x64x4xf16>, tensor<64x4xf16>) -> (tensor<2x64xf16>, tensor<2x64x4xi8>)
  return
}

//===----------------------------------------------------------------------===//
// selective_scan
//===----------------------------------------------------------------------===//
