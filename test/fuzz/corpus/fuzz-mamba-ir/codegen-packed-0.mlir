// The packed form (cu_seqlens): the tile passes plan it like the unpacked
// op (the scan and the SSD launch one block row per sequence, the conv tiles
// the packed positions) and the kernels are specialised on kPacked.

// PLAN-LABEL: func.func @conv
// PLAN: mamba.causal_conv1d {{.*}} cu_seqlens(
// PLAN-SAME: tile = #mamba.tile<l_tile = 64, c_tile = 64, threads = 128>
func.func @conv(%x: tensor<1x?x1792xbf16>, %w: tensor<1792x4xbf16>, %init: tensor<?x1792x3xbf16>, %cu: tensor<?xi32>) -> (tensor<1x?x1792xbf16>, tensor<?x1792x3xbf16>) {
  %y, %fs = mamba.causal_conv1d %x, %w initial_states(%init) cu_seqlens(%cu) {layout = #mamba<layout channel_last>} : (tensor<1x?x1792xbf16>, tensor<1792x4xbf16>, tensor<?x1792x3xbf16>, tensor<?xi32>) -> (tensor<1x?x1792xbf16>, tensor<?x1792x3xbf16>)
  return %y, %fs : tensor<1x?x1792xbf16>, tensor<?x1792x3xbf16>
}
