// The Mamba-2 decode step in the head form, with a state pool.
func.func @mamba2_decode(%s: tensor<64x24x64x128xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %B: tensor<?x1x128xbf16>, %C: tensor<?x1x128xbf16>, %D: tensor<24xf32>, %db: tensor<24xf32>, %idx: tensor<?xi32>) -> (tensor<?x24x64xbf16>, tensor<64x24x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C D(%D) dt_bias(%db) state_indices(%idx) {dt_softplus} : (tensor<64x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>, tensor<24xf32>, tensor<24xf32>, tensor<?xi32>) -> (tensor<?x24x64xbf16>, tensor<64x24x64x128xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<64x24x64x128xf32>
}
