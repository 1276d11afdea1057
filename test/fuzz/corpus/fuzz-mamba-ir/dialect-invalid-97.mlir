func.func @selective_state_update_m1_C_rank(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %C: tensor<16xf32>) {
  // expected-error @+1 {{expects 'C' of rank 3 (Bt, G, N) or 2 (Bt, N), got rank 1}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %C : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}
