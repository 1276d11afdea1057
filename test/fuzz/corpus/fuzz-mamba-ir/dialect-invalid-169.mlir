func.func @rms_norm_weight_shape(%x: tensor<?x?x768xbf16>, %w: tensor<1024xbf16>) {
  // expected-error @+1 {{expects 'weight' of shape (N) = (768), got (1024) (dim 0, N, differs)}}
  %y = mamba.rms_norm %x, %w : (tensor<?x?x768xbf16>, tensor<1024xbf16>) -> tensor<?x?x768xbf16>
  return
}
