func.func @ssd_initial_states_shape(%x: tensor<?x?x8x64xf32>, %dt: tensor<?x?x8xf32>, %A: tensor<8xf32>, %B: tensor<?x?x1x16xf32>, %s0: tensor<?x8x16x64xf32>) {
  // expected-error @+1 {{expects 'initial_states' of shape (Bt, H, P, N) = (?, 8, 64, 16), got (?, 8, 16, 64) (dim 2, P, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B initial_states(%s0) : (tensor<?x?x8x64xf32>, tensor<?x?x8xf32>, tensor<8xf32>, tensor<?x?x1x16xf32>, tensor<?x?x1x16xf32>, tensor<?x8x16x64xf32>) -> tensor<?x?x8x64xf32>
  return
}
