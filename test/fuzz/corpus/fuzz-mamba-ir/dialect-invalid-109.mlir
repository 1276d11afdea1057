func.func @selective_state_update_new_state_type(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xbf16>) {
  // expected-error @+1 {{expects 'new_state' to have the type of 'state' ('tensor<2x64x16xf32>'), got 'tensor<2x64x16xbf16>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x64xbf16>, tensor<64x16xf32>, tensor<2x16xbf16>, tensor<2x16xbf16>) -> (tensor<2x64xbf16>, tensor<2x64x16xbf16>)
  return
}
