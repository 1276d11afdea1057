func.func @ssd_final_states_bf16(%x: tensor<2x16x8x64xbf16>, %dt: tensor<2x16x8xbf16>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xbf16>) {
  // expected-error @+1 {{result #1 must be ranked tensor of 32-bit float values, but got 'tensor<2x8x64x16xbf16>'}}
  %y, %fs = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xbf16>, tensor<2x16x8xbf16>, tensor<8xf32>, tensor<2x16x1x16xbf16>, tensor<2x16x1x16xbf16>) -> (tensor<2x16x8x64xbf16>, tensor<2x8x64x16xbf16>)
  return
}

//===----------------------------------------------------------------------===//
// rms_norm
//===----------------------------------------------------------------------===//
