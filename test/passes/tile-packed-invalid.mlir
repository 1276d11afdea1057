// RUN: mamba-opt %s --split-input-file --verify-diagnostics --mamba-tile-causal-conv1d --mamba-tile-selective-scan --mamba-tile-ssd
// RUN: not mamba-opt %s --split-input-file --mamba-to-cuda 2>&1 | FileCheck %s --check-prefix=PIPELINE

// The packed form (cu_seqlens) has no CUDA kernel yet: the tile passes, and
// so mamba-to-cuda, refuse it with the rule instead of emitting a kernel
// that would ignore the boundaries. The runtime never hands it to CUDA (it
// runs ragged batches there as one batch per length).

// PIPELINE: has a 'cu_seqlens' operand (sequences packed in one row), which the CUDA kernels do not implement

func.func @conv(%x: tensor<1x?x1792xbf16>, %w: tensor<1792x4xbf16>, %cu: tensor<?xi32>) -> tensor<1x?x1792xbf16> {
  // expected-error @+1 {{has a 'cu_seqlens' operand (sequences packed in one row), which the CUDA kernels do not implement; run each sequence as its own batch row}}
  %y = mamba.causal_conv1d %x, %w cu_seqlens(%cu) {layout = #mamba<layout channel_last>} : (tensor<1x?x1792xbf16>, tensor<1792x4xbf16>, tensor<?xi32>) -> tensor<1x?x1792xbf16>
  return %y : tensor<1x?x1792xbf16>
}

// -----

func.func @scan(%u: tensor<1x64x?xbf16>, %A: tensor<64x16xf32>, %bc: tensor<1x1x16x?xbf16>, %cu: tensor<?xi32>) -> tensor<1x64x?xbf16> {
  // expected-error @+1 {{has a 'cu_seqlens' operand}}
  %y = mamba.selective_scan %u, %u, %A, %bc, %bc cu_seqlens(%cu) : (tensor<1x64x?xbf16>, tensor<1x64x?xbf16>, tensor<64x16xf32>, tensor<1x1x16x?xbf16>, tensor<1x1x16x?xbf16>, tensor<?xi32>) -> tensor<1x64x?xbf16>
  return %y : tensor<1x64x?xbf16>
}

// -----

func.func @ssd(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %bc: tensor<1x?x1x128xbf16>, %cu: tensor<?xi32>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{has a 'cu_seqlens' operand}}
  %y = mamba.ssd %x, %dt, %A, %bc, %bc cu_seqlens(%cu) : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<?xi32>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
