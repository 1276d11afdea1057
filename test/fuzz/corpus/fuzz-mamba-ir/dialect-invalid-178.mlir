func.func @gated_rms_norm_weight_shape(%x: tensor<?x1536xbf16>, %w: tensor<768xbf16>) {
  // expected-error @+1 {{expects 'weight' of shape (N) = (1536), got (768) (dim 0, N, differs)}}
  %y = mamba.gated_rms_norm %x, %w : (tensor<?x1536xbf16>, tensor<768xbf16>) -> tensor<?x1536xbf16>
  return
}
