// Without dt_bias and softplus the fold is the same.
func.func @mamba1_dt_proj_bare(%s: tensor<?x96x16xf32>, %x: tensor<?x96xf32>, %lo: tensor<?x13xf32>, %w: tensor<96x13xf32>, %A: tensor<96x16xf32>, %BC: tensor<?x1x16xf32>) -> (tensor<?x96xf32>, tensor<?x96x16xf32>) {
  %dt = mamba.linear %lo, %w : (tensor<?x13xf32>, tensor<96x13xf32>) -> tensor<?x96xf32>
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x96x16xf32>, tensor<?x96xf32>, tensor<?x96xf32>, tensor<96x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>) -> (tensor<?x96xf32>, tensor<?x96x16xf32>)
  return %y, %s1 : tensor<?x96xf32>, tensor<?x96x16xf32>
}
