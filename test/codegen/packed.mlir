// RUN: mamba-opt %s --split-input-file --mamba-to-cuda | FileCheck %s --check-prefix=PLAN
// RUN: mamba-opt %s --mamba-to-cuda | mamba-translate --mlir-to-cuda | FileCheck %s

// The packed form (cu_seqlens): the tile passes plan it like the unpacked
// op (the scan and the SSD launch one block row per sequence, the conv tiles
// the packed positions) and the kernels are specialised on kPacked.

// PLAN-LABEL: func.func @conv
// PLAN: mamba.causal_conv1d {{.*}} cu_seqlens(
// PLAN-SAME: tile = #mamba.tile<l_tile = 64, c_tile = 64, threads = 128>
// CHECK-LABEL: // ===== kernel mamba_causal_conv1d_bf16_
// CHECK: static constexpr bool kHasInitialStates = true;
// CHECK-NEXT: static constexpr bool kHasSeqIdx = false;
// CHECK-NEXT: static constexpr bool kHasFinalStates = true;
// CHECK-NEXT: static constexpr bool kPacked = true;
// CHECK-NEXT: };
// CHECK: static_assert(mamba::CausalConv1dParams::kVersion == 2, "launch parameters changed: update the emitter");
func.func @conv(%x: tensor<1x?x1792xbf16>, %w: tensor<1792x4xbf16>, %init: tensor<?x1792x3xbf16>, %cu: tensor<?xi32>) -> (tensor<1x?x1792xbf16>, tensor<?x1792x3xbf16>) {
  %y, %fs = mamba.causal_conv1d %x, %w initial_states(%init) cu_seqlens(%cu) {layout = #mamba<layout channel_last>} : (tensor<1x?x1792xbf16>, tensor<1792x4xbf16>, tensor<?x1792x3xbf16>, tensor<?xi32>) -> (tensor<1x?x1792xbf16>, tensor<?x1792x3xbf16>)
  return %y, %fs : tensor<1x?x1792xbf16>, tensor<?x1792x3xbf16>
}

// -----

// PLAN-LABEL: func.func @scan
// PLAN: mamba.selective_scan {{.*}} cu_seqlens(
// PLAN-SAME: kernel = "{{mamba_selective_scan_bf16_[0-9a-f]+}}"
// CHECK-LABEL: // ===== kernel mamba_selective_scan_bf16_
// CHECK: static constexpr bool kHasLastState = true;
// CHECK-NEXT: static constexpr bool kPacked = true;
// CHECK-NEXT: };
// CHECK: static_assert(mamba::SelectiveScanParams::kVersion == 2, "launch parameters changed: update the emitter");
func.func @scan(%u: tensor<1x64x?xbf16>, %A: tensor<64x16xf32>, %bc: tensor<1x1x16x?xbf16>, %init: tensor<?x64x16xf32>, %cu: tensor<?xi32>) -> (tensor<1x64x?xbf16>, tensor<?x64x16xf32>) {
  %y, %s = mamba.selective_scan %u, %u, %A, %bc, %bc initial_state(%init) cu_seqlens(%cu) : (tensor<1x64x?xbf16>, tensor<1x64x?xbf16>, tensor<64x16xf32>, tensor<1x1x16x?xbf16>, tensor<1x1x16x?xbf16>, tensor<?x64x16xf32>, tensor<?xi32>) -> (tensor<1x64x?xbf16>, tensor<?x64x16xf32>)
  return %y, %s : tensor<1x64x?xbf16>, tensor<?x64x16xf32>
}

// -----

// PLAN-LABEL: func.func @ssd
// PLAN: mamba.ssd {{.*}} cu_seqlens(
// PLAN-SAME: kernel = "{{mamba_ssd_bf16_[0-9a-f]+}}"
// CHECK-LABEL: // ===== kernel mamba_ssd_bf16_
// CHECK: static constexpr bool kHasSeqIdx = false;
// CHECK-NEXT: static constexpr bool kHasFinalStates = true;
// CHECK-NEXT: static constexpr bool kPacked = true;
// CHECK-NEXT: };
// CHECK: static_assert(mamba::SsdParams::kVersion == 2, "launch parameters changed: update the emitter");
func.func @ssd(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %bc: tensor<1x?x1x128xbf16>, %init: tensor<?x24x64x128xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %y, %fs = mamba.ssd %x, %dt, %A, %bc, %bc initial_states(%init) cu_seqlens(%cu) : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<?x24x64x128xf32>, tensor<?xi32>) -> (tensor<1x?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %fs : tensor<1x?x24x64xbf16>, tensor<?x24x64x128xf32>
}
