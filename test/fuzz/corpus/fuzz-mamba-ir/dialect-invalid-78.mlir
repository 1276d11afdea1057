func.func @selective_state_update_dstate_too_large(%s: tensor<2x64x264xf32>, %x: tensor<2x64xf32>, %A: tensor<64x264xf32>, %B: tensor<2x264xf32>) {
  // expected-error @+1 {{expects d_state <= 256, got 264}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x264xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x264xf32>, tensor<2x264xf32>, tensor<2x264xf32>) -> (tensor<2x64xf32>, tensor<2x64x264xf32>)
  return
}
