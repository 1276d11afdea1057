func.func @selective_state_update_m1_B_type(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'B' element type 'bf16' (the element type of x), got 'f32'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x64xbf16>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xbf16>, tensor<2x64x16xf32>)
  return
}
