// mamba.selective_state_update in Mamba-2's head form: one decode token of 24
// heads of 64 against an f32 state of d_state 128 (updated and returned).
//   mamba-opt examples/mlir/selective-state-update.mlir --mamba-to-cuda

func.func @mamba2_state_step(%state: tensor<?x24x64x128xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %B: tensor<?x1x128xbf16>, %C: tensor<?x1x128xbf16>, %D: tensor<24xf32>, %z: tensor<?x24x64xbf16>, %dt_bias: tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %r0, %r1 = mamba.selective_state_update %state, %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dt_bias) {dt_softplus} : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>, tensor<24xf32>, tensor<?x24x64xbf16>, tensor<24xf32>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %r0, %r1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>
}
