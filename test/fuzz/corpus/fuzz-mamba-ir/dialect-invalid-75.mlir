func.func @selective_scan_last_state_bf16(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xf32>) {
  // expected-error @+1 {{result #1 must be ranked tensor of 32-bit float values, but got 'tensor<2x64x16xbf16>'}}
  %y, %s = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> (tensor<2x64x8xbf16>, tensor<2x64x16xbf16>)
  return
}

//===----------------------------------------------------------------------===//
// selective_state_update
//===----------------------------------------------------------------------===//
