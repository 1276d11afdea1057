func.func @rms_norm_x_rank0(%x: tensor<f32>, %w: tensor<1xf32>) {
  // expected-error @+1 {{expects 'x' of rank >= 1, got rank 0}}
  %y = mamba.rms_norm %x, %w : (tensor<f32>, tensor<1xf32>) -> tensor<f32>
  return
}
