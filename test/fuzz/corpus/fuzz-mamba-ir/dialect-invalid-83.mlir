func.func @selective_state_update_dt_min_f32(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{attribute 'dt_min' failed to satisfy constraint: 64-bit float attribute}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B {dt_min = 0.1 : f32} : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
