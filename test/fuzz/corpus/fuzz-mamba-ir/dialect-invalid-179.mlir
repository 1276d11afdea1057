func.func @gated_rms_norm_eps(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>) {
  // expected-error @+1 {{expects eps > 0, got 0.000000e+00}}
  %y = mamba.gated_rms_norm %x, %w {eps = 0.0 : f64} : (tensor<?x1536xbf16>, tensor<1536xbf16>) -> tensor<?x1536xbf16>
  return
}
