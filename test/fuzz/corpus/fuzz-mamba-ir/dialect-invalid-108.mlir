func.func @selective_state_update_out_type(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xbf16>) {
  // expected-error @+1 {{expects 'out' to have the type of 'x' ('tensor<2x64xbf16>'), got 'tensor<2x64xf32>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x64xbf16>, tensor<64x16xf32>, tensor<2x16xbf16>, tensor<2x16xbf16>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
