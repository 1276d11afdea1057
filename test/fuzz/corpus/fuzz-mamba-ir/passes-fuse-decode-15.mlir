// Negative: the head form's dt is one value per head; the fused dt_proj is
// the Mamba-1 form's per-channel projection only.
func.func @head_form_dt_linear(%s: tensor<?x4x32x16xf32>, %x: tensor<?x4x32xbf16>, %lo: tensor<?x8xbf16>, %w: tensor<4x8xbf16>, %A: tensor<4xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>) {
  %dt = mamba.linear %lo, %w : (tensor<?x8xbf16>, tensor<4x8xbf16>) -> tensor<?x4xbf16>
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %s1 : tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>
}
