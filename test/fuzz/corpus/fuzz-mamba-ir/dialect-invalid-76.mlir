func.func @selective_state_update_state_rank(%s: tensor<64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'state' of rank 3 (S, D, N) for the Mamba-1 form or 4 (S, H, P, N) for the Mamba-2 head form, got rank 2}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<64x16xf32>)
  return
}
