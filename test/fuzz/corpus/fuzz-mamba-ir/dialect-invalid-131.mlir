func.func @selective_state_update_dt_proj_dt_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %dt: tensor<2x64xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xbf16>, %w: tensor<64x4xbf16>) {
  // expected-error @+1 {{expects 'dt' of shape (Bt, R) = (2, 4), got (2, 64) (dim 1, R, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B dt_proj(%w) : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x64xbf16>, tensor<64x16xf32>, tensor<2x16xbf16>, tensor<2x16xbf16>, tensor<64x4xbf16>) -> (tensor<2x64xbf16>, tensor<2x64x16xf32>)
  return
}
