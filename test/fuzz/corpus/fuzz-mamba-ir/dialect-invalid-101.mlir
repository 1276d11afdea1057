func.func @selective_state_update_m2_C_groups(%s: tensor<?x4x32x128xf32>, %x: tensor<?x4x32xbf16>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %B: tensor<?x1x128xbf16>, %C: tensor<?x2x128xbf16>) {
  // expected-error @+1 {{expects 'C' to have the groups of 'B' (1), got 2}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C : (tensor<?x4x32x128xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x1x128xbf16>, tensor<?x2x128xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x128xf32>)
  return
}
