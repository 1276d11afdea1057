// A weight given as (K, M) instead of PyTorch's (M, K).
func.func @linear_weight_transposed(%x: tensor<?x768xf32>, %w: tensor<768x3072xf32>) {
  // expected-error @+1 {{expects 'weight' of shape (M, K) = (768, 768), got (768, 3072) (dim 1, K, differs)}}
  %y = mamba.linear %x, %w : (tensor<?x768xf32>, tensor<768x3072xf32>) -> tensor<?x768xf32>
  return
}
