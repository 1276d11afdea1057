// Used to be accepted: the channels of x were never compared with the state's.
func.func @selective_state_update_m1_x_channels(%s: tensor<?x64x16xf32>, %x: tensor<?x32xf32>, %dt: tensor<?x64xf32>, %A: tensor<64x16xf32>, %B: tensor<?x16xf32>) {
  // expected-error @+1 {{expects 'x' of shape (Bt, D) = (?, 64), got (?, 32) (dim 1, D, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<?x64x16xf32>, tensor<?x32xf32>, tensor<?x64xf32>, tensor<64x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>) -> (tensor<?x32xf32>, tensor<?x64x16xf32>)
  return
}
