func.func @selective_state_update_dt_proj_head_form(%s: tensor<2x4x32x16xf32>, %x: tensor<2x4x32xbf16>, %dt: tensor<2x4xbf16>, %A: tensor<4xf32>, %B: tensor<2x1x16xbf16>, %w: tensor<4x8xbf16>) {
  // expected-error @+1 {{expects 'dt_proj' only in the Mamba-1 form (state of rank 3), got the head form (the kernel computes one dt per channel)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B dt_proj(%w) : (tensor<2x4x32x16xf32>, tensor<2x4x32xbf16>, tensor<2x4xbf16>, tensor<4xf32>, tensor<2x1x16xbf16>, tensor<2x1x16xbf16>, tensor<4x8xbf16>) -> (tensor<2x4x32xbf16>, tensor<2x4x32x16xf32>)
  return
}
