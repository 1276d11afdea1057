func.func @linear_x_rank0(%x: tensor<f32>, %w: tensor<4x1xf32>) {
  // expected-error @+1 {{expects 'x' of rank >= 1 (..., K), got rank 0}}
  %y = mamba.linear %x, %w : (tensor<f32>, tensor<4x1xf32>) -> tensor<4xf32>
  return
}
