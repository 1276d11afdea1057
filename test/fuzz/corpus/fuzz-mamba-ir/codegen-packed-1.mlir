// PLAN-LABEL: func.func @scan
// PLAN: mamba.selective_scan {{.*}} cu_seqlens(
// PLAN-SAME: kernel = "{{mamba_selective_scan_bf16_[0-9a-f]+}}"
func.func @scan(%u: tensor<1x64x?xbf16>, %A: tensor<64x16xf32>, %bc: tensor<1x1x16x?xbf16>, %init: tensor<?x64x16xf32>, %cu: tensor<?xi32>) -> (tensor<1x64x?xbf16>, tensor<?x64x16xf32>) {
  %y, %s = mamba.selective_scan %u, %u, %A, %bc, %bc initial_state(%init) cu_seqlens(%cu) : (tensor<1x64x?xbf16>, tensor<1x64x?xbf16>, tensor<64x16xf32>, tensor<1x1x16x?xbf16>, tensor<1x1x16x?xbf16>, tensor<?x64x16xf32>, tensor<?xi32>) -> (tensor<1x64x?xbf16>, tensor<?x64x16xf32>)
  return %y, %s : tensor<1x64x?xbf16>, tensor<?x64x16xf32>
}
