func.func @selective_state_update_m1_C_type(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xf16>, %C: tensor<2x16xbf16>) {
  // expected-error @+1 {{expects 'C' element type 'f16' (the element type of x), got 'bf16'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %C : (tensor<2x64x16xf32>, tensor<2x64xf16>, tensor<2x64xf16>, tensor<64x16xf32>, tensor<2x16xf16>, tensor<2x16xbf16>) -> (tensor<2x64xf16>, tensor<2x64x16xf32>)
  return
}
