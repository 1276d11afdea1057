// PLAN-LABEL: func.func @ssd
// PLAN: mamba.ssd {{.*}} cu_seqlens(
// PLAN-SAME: kernel = "{{mamba_ssd_bf16_[0-9a-f]+}}"
func.func @ssd(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %bc: tensor<1x?x1x128xbf16>, %init: tensor<?x24x64x128xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %y, %fs = mamba.ssd %x, %dt, %A, %bc, %bc initial_states(%init) cu_seqlens(%cu) : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<?x24x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %fs : tensor<1x?x24x64xbf16>, tensor<?x24x64x128xf32>
}
