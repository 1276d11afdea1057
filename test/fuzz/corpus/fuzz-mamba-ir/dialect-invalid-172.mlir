func.func @rms_norm_eps_integer(%x: tensor<4x768xf32>, %w: tensor<768xf32>) {
  // expected-error @+1 {{attribute 'eps' failed to satisfy constraint: 64-bit float attribute}}
  %y = mamba.rms_norm %x, %w {eps = 1 : i64} : (tensor<4x768xf32>, tensor<768xf32>) -> tensor<4x768xf32>
  return
}
