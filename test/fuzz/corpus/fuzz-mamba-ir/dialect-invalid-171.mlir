func.func @rms_norm_eps_negative(%x: tensor<4x768xf32>, %w: tensor<768xf32>) {
  // expected-error @+1 {{expects eps > 0, got -1.000000e-05}}
  %y = mamba.rms_norm %x, %w {eps = -1.0e-5 : f64} : (tensor<4x768xf32>, tensor<768xf32>) -> tensor<4x768xf32>
  return
}
