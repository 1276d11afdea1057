func.func @linear_weight_rank(%x: tensor<?x768xf32>, %w: tensor<768xf32>) {
  // expected-error @+1 {{expects 'weight' of rank 2 (M, K), got rank 1}}
  %y = mamba.linear %x, %w : (tensor<?x768xf32>, tensor<768xf32>) -> tensor<?x768xf32>
  return
}
