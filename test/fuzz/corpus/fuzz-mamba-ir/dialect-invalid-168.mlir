func.func @rms_norm_weight_rank(%x: tensor<4x768xf32>, %w: tensor<1x768xf32>) {
  // expected-error @+1 {{expects 'weight' of rank 1 (N), got rank 2 (1, 768)}}
  %y = mamba.rms_norm %x, %w : (tensor<4x768xf32>, tensor<1x768xf32>) -> tensor<4x768xf32>
  return
}
