func.func @selective_state_update_m1_B_rank(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x1x16x1xf32>) {
  // expected-error @+1 {{expects 'B' of rank 3 (Bt, G, N) or 2 (Bt, N), got rank 4}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x1x16x1xf32>, tensor<2x1x16x1xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
