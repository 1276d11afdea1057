func.func @gated_rms_norm_x_rank0(%x: tensor<bf16>, %w: tensor<1xbf16>) {
  // expected-error @+1 {{expects 'x' of rank >= 1, got rank 0}}
  %y = mamba.gated_rms_norm %x, %w : (tensor<bf16>, tensor<1xbf16>) -> tensor<bf16>
  return
}
