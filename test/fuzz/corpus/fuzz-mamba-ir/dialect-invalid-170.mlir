func.func @rms_norm_eps_zero(%x: tensor<4x768xf32>, %w: tensor<768xf32>) {
  // expected-error @+1 {{expects eps > 0, got 0.000000e+00}}
  %y = mamba.rms_norm %x, %w {eps = 0.0 : f64} : (tensor<4x768xf32>, tensor<768xf32>) -> tensor<4x768xf32>
  return
}
