// RUN: mamba-opt %s --split-input-file --mamba-fuse-decode | FileCheck %s

// Both patterns of mamba-fuse-decode, and the cases where fusing is not legal
// and the IR must stay as it is. The inputs are decode steps as the
// ModelBuilder writes them after canonicalize and mamba-fuse-elementwise
// (the SiLU already folded into the conv): H = 4, P = 32, G = 2, N = 16, so
// xBC has Dc = 4 * 32 + 2 * 2 * 16 = 192 channels, x at 0, B at 128, C at 160.

//===----------------------------------------------------------------------===//
// Pattern 1: causal_conv1d_update{silu} + slices + state update
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @mamba2_decode
// CHECK-SAME: (%[[XBC:[a-zA-Z0-9_]+]]: tensor<?x192xbf16>, %[[CS:[a-zA-Z0-9_]+]]: tensor<?x192x3xbf16>, %[[W:[a-zA-Z0-9_]+]]: tensor<192x4xbf16>, %[[CB:[a-zA-Z0-9_]+]]: tensor<192xbf16>, %[[S:[a-zA-Z0-9_]+]]: tensor<?x4x32x16xf32>, %[[DT:[a-zA-Z0-9_]+]]: tensor<?x4xbf16>, %[[A:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[D:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[DB:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK-NOT: mamba.causal_conv1d_update
// CHECK-NOT: tensor.extract_slice
// CHECK-NOT: tensor.expand_shape
// CHECK: %[[Y:.*]], %[[S1:.*]], %[[CS1:.*]] = mamba.conv_state_update %[[XBC]], %[[CS]], %[[W]], %[[S]], %[[DT]], %[[A]] conv_bias(%[[CB]]) D(%[[D]]) dt_bias(%[[DB]])
// CHECK-SAME: b_offset = 128 : i64, c_offset = 160 : i64, dt_softplus, ngroups = 2 : i64, x_offset = 0 : i64
// CHECK-SAME: -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
// CHECK-NOT: mamba.selective_state_update
// CHECK: return %[[Y]], %[[CS1]], %[[S1]]
func.func @mamba2_decode(%xbc: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %cb: tensor<192xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %D: tensor<4xf32>, %db: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w bias(%cb) {activation = #mamba<activation silu>} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<192xbf16>) -> (tensor<?x192xbf16>, tensor<?x192x3xbf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x192xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x192xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch D(%D) dt_bias(%db) {dt_softplus} : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>, tensor<4xf32>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %cs1, %s1 : tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>
}

// -----

// The operands and attributes the fused op carries over: z, a per-channel
// D, the dt limits, a shared state pool (state_indices), a conv without
// bias and a longer conv state (K = 5 > W - 1); the columns in another order
// (C, x, B), a batch dim taken from the conv's input, and a use of the
// batch size (tensor.dim of the conv output) that outlives the conv.
// CHECK-LABEL: func.func @options_and_order
// CHECK-SAME: (%[[XBC:[a-zA-Z0-9_]+]]: tensor<?x192xf16>, %[[CS:[a-zA-Z0-9_]+]]: tensor<16x192x5xf16>, %[[W:[a-zA-Z0-9_]+]]: tensor<192x3xf16>, %[[S:[a-zA-Z0-9_]+]]: tensor<16x4x32x16xbf16>, %[[DT:[a-zA-Z0-9_]+]]: tensor<?x4xf16>, %[[A:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[D:[a-zA-Z0-9_]+]]: tensor<4x32xf32>, %[[Z:[a-zA-Z0-9_]+]]: tensor<?x4x32xf16>, %[[IDX:[a-zA-Z0-9_]+]]: tensor<?xi32>)
// CHECK: %[[BT:.*]] = tensor.dim %[[XBC]], %{{.*}} : tensor<?x192xf16>
// CHECK: %[[Y:.*]], %[[S1:.*]], %[[CS1:.*]] = mamba.conv_state_update %[[XBC]], %[[CS]], %[[W]], %[[S]], %[[DT]], %[[A]] D(%[[D]]) z(%[[Z]]) state_indices(%[[IDX]])
// CHECK-SAME: b_offset = 160 : i64, c_offset = 0 : i64, dt_max = 1.000000e-01 : f64, dt_min = 1.000000e-03 : f64, ngroups = 2 : i64, x_offset = 32 : i64
// CHECK-NOT: mamba.selective_state_update
// CHECK: return %[[Y]], %[[CS1]], %[[S1]], %[[BT]]
func.func @options_and_order(%xbc: tensor<?x192xf16>, %cs: tensor<16x192x5xf16>, %w: tensor<192x3xf16>, %s: tensor<16x4x32x16xbf16>, %dt: tensor<?x4xf16>, %A: tensor<4xf32>, %D: tensor<4x32xf32>, %z: tensor<?x4x32xf16>, %idx: tensor<?xi32>) -> (tensor<?x4x32xf16>, tensor<16x192x5xf16>, tensor<16x4x32x16xbf16>, index) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w state_indices(%idx) {activation = #mamba<activation silu>} : (tensor<?x192xf16>, tensor<16x192x5xf16>, tensor<192x3xf16>, tensor<?xi32>) -> (tensor<?x192xf16>, tensor<16x192x5xf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x192xf16>
  %bx = tensor.dim %xbc, %c0 : tensor<?x192xf16>
  %c = tensor.extract_slice %out[0, 0] [%bx, 32] [1, 1] : tensor<?x192xf16> to tensor<?x32xf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bx, 2, 16] : tensor<?x32xf16> into tensor<?x2x16xf16>
  %x = tensor.extract_slice %out[0, 32] [%bt, 128] [1, 1] : tensor<?x192xf16> to tensor<?x128xf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xf16> into tensor<?x4x32xf16>
  %b = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x192xf16> to tensor<?x32xf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xf16> into tensor<?x2x16xf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch D(%D) z(%z) state_indices(%idx) {dt_min = 0.001 : f64, dt_max = 0.1 : f64} : (tensor<16x4x32x16xbf16>, tensor<?x4x32xf16>, tensor<?x4xf16>, tensor<4xf32>, tensor<?x2x16xf16>, tensor<?x2x16xf16>, tensor<4x32xf32>, tensor<?x4x32xf16>, tensor<?xi32>) -> (tensor<?x4x32xf16>, tensor<16x4x32x16xbf16>)
  return %y, %cs1, %s1, %bt : tensor<?x4x32xf16>, tensor<16x192x5xf16>, tensor<16x4x32x16xbf16>, index
}

// -----

// Negative: without the SiLU the fused op (which always applies it) would
// compute something else.
// CHECK-LABEL: func.func @conv_without_silu
// CHECK: mamba.causal_conv1d_update
// CHECK: mamba.selective_state_update
// CHECK-NOT: mamba.conv_state_update
func.func @conv_without_silu(%xbc: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>) -> (tensor<?x192xbf16>, tensor<?x192x3xbf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x192xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x192xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %cs1, %s1 : tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>
}

// -----

// Negative: the conv output is also returned, so it must be materialised.
// CHECK-LABEL: func.func @conv_output_second_use
// CHECK: %[[OUT:.*]], %{{.*}} = mamba.causal_conv1d_update
// CHECK: mamba.selective_state_update
// CHECK-NOT: mamba.conv_state_update
// CHECK: return {{.*}}%[[OUT]]
func.func @conv_output_second_use(%xbc: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>, tensor<?x192xbf16>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w {activation = #mamba<activation silu>} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>) -> (tensor<?x192xbf16>, tensor<?x192x3xbf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x192xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x192xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %cs1, %s1, %out : tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>, tensor<?x192xbf16>
}

// -----

// Negative: a slice is also used elsewhere (B feeds a second op).
// CHECK-LABEL: func.func @slice_second_use
// CHECK: mamba.causal_conv1d_update
// CHECK: mamba.selective_state_update
// CHECK-NOT: mamba.conv_state_update
func.func @slice_second_use(%xbc: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>, tensor<?x32xbf16>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w {activation = #mamba<activation silu>} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>) -> (tensor<?x192xbf16>, tensor<?x192x3xbf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x192xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x192xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  %bb = mamba.silu %b : tensor<?x32xbf16>
  return %y, %cs1, %s1, %bb : tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>, tensor<?x32xbf16>
}

// -----

// Negative: a dynamic column offset.
// CHECK-LABEL: func.func @dynamic_offset
// CHECK: mamba.causal_conv1d_update
// CHECK: mamba.selective_state_update
// CHECK-NOT: mamba.conv_state_update
func.func @dynamic_offset(%xbc: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %off: index) -> (tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w {activation = #mamba<activation silu>} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>) -> (tensor<?x192xbf16>, tensor<?x192x3xbf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x192xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x192xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, %off] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %cs1, %s1 : tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>
}

// -----

// Negative: 8 conv channels (192 to 200) are no column of the state update;
// the fused kernel would leave their conv state behind.
// CHECK-LABEL: func.func @channels_not_covered
// CHECK: mamba.causal_conv1d_update
// CHECK: mamba.selective_state_update
// CHECK-NOT: mamba.conv_state_update
func.func @channels_not_covered(%xbc: tensor<?x200xbf16>, %cs: tensor<?x200x3xbf16>, %w: tensor<200x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x200x3xbf16>, tensor<?x4x32x16xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w {activation = #mamba<activation silu>} : (tensor<?x200xbf16>, tensor<?x200x3xbf16>, tensor<200x4xbf16>) -> (tensor<?x200xbf16>, tensor<?x200x3xbf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x200xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x200xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x200xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x200xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %cs1, %s1 : tensor<?x4x32xbf16>, tensor<?x200x3xbf16>, tensor<?x4x32x16xf32>
}

// -----

// Negative: B and C are the same columns (ranges overlap, and 32 channels
// are left without an owner).
// CHECK-LABEL: func.func @overlapping_columns
// CHECK: mamba.causal_conv1d_update
// CHECK: mamba.selective_state_update
// CHECK-NOT: mamba.conv_state_update
func.func @overlapping_columns(%xbc: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w {activation = #mamba<activation silu>} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>) -> (tensor<?x192xbf16>, tensor<?x192x3xbf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x192xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x192xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %cs1, %s1 : tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>
}

// -----

// Negative: the slices cover only the first batch row.
// CHECK-LABEL: func.func @partial_batch
// CHECK: mamba.causal_conv1d_update
// CHECK: mamba.selective_state_update
// CHECK-NOT: mamba.conv_state_update
func.func @partial_batch(%xbc: tensor<2x192xbf16>, %cs: tensor<2x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<1x4x32x16xf32>, %dt: tensor<1x4xbf16>, %A: tensor<4xf32>) -> (tensor<1x4x32xbf16>, tensor<2x192x3xbf16>, tensor<1x4x32x16xf32>) {
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w {activation = #mamba<activation silu>} : (tensor<2x192xbf16>, tensor<2x192x3xbf16>, tensor<192x4xbf16>) -> (tensor<2x192xbf16>, tensor<2x192x3xbf16>)
  %x = tensor.extract_slice %out[0, 0] [1, 128] [1, 1] : tensor<2x192xbf16> to tensor<1x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [1, 4, 32] : tensor<1x128xbf16> into tensor<1x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [1, 32] [1, 1] : tensor<2x192xbf16> to tensor<1x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [1, 2, 16] : tensor<1x32xbf16> into tensor<1x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [1, 32] [1, 1] : tensor<2x192xbf16> to tensor<1x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [1, 2, 16] : tensor<1x32xbf16> into tensor<1x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch : (tensor<1x4x32x16xf32>, tensor<1x4x32xbf16>, tensor<1x4xbf16>, tensor<4xf32>, tensor<1x2x16xbf16>, tensor<1x2x16xbf16>) -> (tensor<1x4x32xbf16>, tensor<1x4x32x16xf32>)
  return %y, %cs1, %s1 : tensor<1x4x32xbf16>, tensor<2x192x3xbf16>, tensor<1x4x32x16xf32>
}

// -----

// Negative: the state update has a state pool and the conv does not: their
// state rows differ.
// CHECK-LABEL: func.func @different_state_rows
// CHECK: mamba.causal_conv1d_update
// CHECK: mamba.selective_state_update
// CHECK-NOT: mamba.conv_state_update
func.func @different_state_rows(%xbc: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<8x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %idx: tensor<?xi32>) -> (tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<8x4x32x16xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w {activation = #mamba<activation silu>} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>) -> (tensor<?x192xbf16>, tensor<?x192x3xbf16>)
  %bt = tensor.dim %out, %c0 : tensor<?x192xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x192xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch state_indices(%idx) : (tensor<8x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>, tensor<?xi32>) -> (tensor<?x4x32xbf16>, tensor<8x4x32x16xf32>)
  return %y, %cs1, %s1 : tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<8x4x32x16xf32>
}

// -----

// Negative: the new conv state is read before the state update, where the
// fused op (in the state update's place) would not have made it yet.
// CHECK-LABEL: func.func @conv_state_read_early
// CHECK: mamba.causal_conv1d_update
// CHECK: mamba.silu
// CHECK: mamba.selective_state_update
// CHECK-NOT: mamba.conv_state_update
func.func @conv_state_read_early(%xbc: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>) {
  %c0 = arith.constant 0 : index
  %out, %cs1 = mamba.causal_conv1d_update %xbc, %cs, %w {activation = #mamba<activation silu>} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>) -> (tensor<?x192xbf16>, tensor<?x192x3xbf16>)
  %early = mamba.silu %cs1 : tensor<?x192x3xbf16>
  %bt = tensor.dim %out, %c0 : tensor<?x192xbf16>
  %x = tensor.extract_slice %out[0, 0] [%bt, 128] [1, 1] : tensor<?x192xbf16> to tensor<?x128xbf16>
  %xh = tensor.expand_shape %x [[0], [1, 2]] output_shape [%bt, 4, 32] : tensor<?x128xbf16> into tensor<?x4x32xbf16>
  %b = tensor.extract_slice %out[0, 128] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %bh = tensor.expand_shape %b [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %c = tensor.extract_slice %out[0, 160] [%bt, 32] [1, 1] : tensor<?x192xbf16> to tensor<?x32xbf16>
  %ch = tensor.expand_shape %c [[0], [1, 2]] output_shape [%bt, 2, 16] : tensor<?x32xbf16> into tensor<?x2x16xbf16>
  %y, %s1 = mamba.selective_state_update %s, %xh, %dt, %A, %bh, %ch : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x2x16xbf16>, tensor<?x2x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %early, %s1 : tensor<?x4x32xbf16>, tensor<?x192x3xbf16>, tensor<?x4x32x16xf32>
}

//===----------------------------------------------------------------------===//
// Pattern 2: linear(dt_low, W) as dt of a Mamba-1 form state update
//===----------------------------------------------------------------------===//

// -----

// The Mamba-1 decode step: dt = dt_proj(x_proj(x)[:, :R]) with R = 4, the
// bias of dt_proj already the update's dt_bias.
// CHECK-LABEL: func.func @mamba1_dt_proj
// CHECK-SAME: (%[[S:[a-zA-Z0-9_]+]]: tensor<?x64x16xf32>, %[[X:[a-zA-Z0-9_]+]]: tensor<?x64xbf16>, %[[XDBL:[a-zA-Z0-9_]+]]: tensor<?x36xbf16>, %[[W:[a-zA-Z0-9_]+]]: tensor<64x4xbf16>, %[[A:[a-zA-Z0-9_]+]]: tensor<64x16xf32>, %[[D:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[Z:[a-zA-Z0-9_]+]]: tensor<?x64xbf16>, %[[DB:[a-zA-Z0-9_]+]]: tensor<64xf32>)
// CHECK: %[[LO:.*]] = tensor.extract_slice %[[XDBL]][0, 0] [%{{.*}}, 4] [1, 1]
// CHECK: %[[B:.*]] = tensor.extract_slice %[[XDBL]][0, 4]
// CHECK: %[[C:.*]] = tensor.extract_slice %[[XDBL]][0, 20]
// CHECK-NOT: mamba.linear
// CHECK: %[[Y:.*]], %[[S1:.*]] = mamba.selective_state_update %[[S]], %[[X]], %[[LO]], %[[A]], %[[B]], %[[C]] D(%[[D]]) z(%[[Z]]) dt_bias(%[[DB]]) dt_proj(%[[W]]) {dt_softplus}
// CHECK-SAME: (tensor<?x64x16xf32>, tensor<?x64xbf16>, tensor<?x4xbf16>, tensor<64x16xf32>, tensor<?x16xbf16>, tensor<?x16xbf16>, tensor<64xf32>, tensor<?x64xbf16>, tensor<64xf32>, tensor<64x4xbf16>)
// CHECK: return %[[Y]], %[[S1]]
func.func @mamba1_dt_proj(%s: tensor<?x64x16xf32>, %x: tensor<?x64xbf16>, %xdbl: tensor<?x36xbf16>, %w: tensor<64x4xbf16>, %A: tensor<64x16xf32>, %D: tensor<64xf32>, %z: tensor<?x64xbf16>, %db: tensor<64xf32>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>) {
  %c0 = arith.constant 0 : index
  %bt = tensor.dim %xdbl, %c0 : tensor<?x36xbf16>
  %lo = tensor.extract_slice %xdbl[0, 0] [%bt, 4] [1, 1] : tensor<?x36xbf16> to tensor<?x4xbf16>
  %B = tensor.extract_slice %xdbl[0, 4] [%bt, 16] [1, 1] : tensor<?x36xbf16> to tensor<?x16xbf16>
  %C = tensor.extract_slice %xdbl[0, 20] [%bt, 16] [1, 1] : tensor<?x36xbf16> to tensor<?x16xbf16>
  %dt = mamba.linear %lo, %w : (tensor<?x4xbf16>, tensor<64x4xbf16>) -> tensor<?x64xbf16>
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%db) {dt_softplus} : (tensor<?x64x16xf32>, tensor<?x64xbf16>, tensor<?x64xbf16>, tensor<64x16xf32>, tensor<?x16xbf16>, tensor<?x16xbf16>, tensor<64xf32>, tensor<?x64xbf16>, tensor<64xf32>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>)
  return %y, %s1 : tensor<?x64xbf16>, tensor<?x64x16xf32>
}

// -----

// Without dt_bias and softplus the fold is the same.
// CHECK-LABEL: func.func @mamba1_dt_proj_bare
// CHECK-NOT: mamba.linear
// CHECK: mamba.selective_state_update %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %[[LO:[a-zA-Z0-9_]+]], {{.*}} dt_proj(%{{[a-zA-Z0-9_]+}}) :
// CHECK-SAME: tensor<?x13xf32>
func.func @mamba1_dt_proj_bare(%s: tensor<?x96x16xf32>, %x: tensor<?x96xf32>, %lo: tensor<?x13xf32>, %w: tensor<96x13xf32>, %A: tensor<96x16xf32>, %BC: tensor<?x1x16xf32>) -> (tensor<?x96xf32>, tensor<?x96x16xf32>) {
  %dt = mamba.linear %lo, %w : (tensor<?x13xf32>, tensor<96x13xf32>) -> tensor<?x96xf32>
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x96x16xf32>, tensor<?x96xf32>, tensor<?x96xf32>, tensor<96x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>) -> (tensor<?x96xf32>, tensor<?x96x16xf32>)
  return %y, %s1 : tensor<?x96xf32>, tensor<?x96x16xf32>
}

// -----

// Negative: the projected dt is also returned.
// CHECK-LABEL: func.func @dt_second_use
// CHECK: %[[DT:.*]] = mamba.linear
// CHECK: mamba.selective_state_update %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %[[DT]]
// CHECK-NOT: dt_proj
// CHECK: return
func.func @dt_second_use(%s: tensor<?x64x16xf32>, %x: tensor<?x64xbf16>, %lo: tensor<?x4xbf16>, %w: tensor<64x4xbf16>, %A: tensor<64x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>, tensor<?x64xbf16>) {
  %dt = mamba.linear %lo, %w : (tensor<?x4xbf16>, tensor<64x4xbf16>) -> tensor<?x64xbf16>
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x64x16xf32>, tensor<?x64xbf16>, tensor<?x64xbf16>, tensor<64x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>)
  return %y, %s1, %dt : tensor<?x64xbf16>, tensor<?x64x16xf32>, tensor<?x64xbf16>
}

// -----

// Negative: a linear with its own bias (the fused op has none; dt_bias is
// added after the rounding of the product).
// CHECK-LABEL: func.func @linear_with_bias
// CHECK: mamba.linear
// CHECK-NOT: dt_proj
func.func @linear_with_bias(%s: tensor<?x64x16xf32>, %x: tensor<?x64xbf16>, %lo: tensor<?x4xbf16>, %w: tensor<64x4xbf16>, %b: tensor<64xbf16>, %A: tensor<64x16xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>) {
  %dt = mamba.linear %lo, %w bias(%b) : (tensor<?x4xbf16>, tensor<64x4xbf16>, tensor<64xbf16>) -> tensor<?x64xbf16>
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x64x16xf32>, tensor<?x64xbf16>, tensor<?x64xbf16>, tensor<64x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>)
  return %y, %s1 : tensor<?x64xbf16>, tensor<?x64x16xf32>
}

// -----

// Negative: the head form's dt is one value per head; the fused dt_proj is
// the Mamba-1 form's per-channel projection only.
// CHECK-LABEL: func.func @head_form_dt_linear
// CHECK: mamba.linear
// CHECK-NOT: dt_proj
func.func @head_form_dt_linear(%s: tensor<?x4x32x16xf32>, %x: tensor<?x4x32xbf16>, %lo: tensor<?x8xbf16>, %w: tensor<4x8xbf16>, %A: tensor<4xf32>, %BC: tensor<?x1x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>) {
  %dt = mamba.linear %lo, %w : (tensor<?x8xbf16>, tensor<4x8xbf16>) -> tensor<?x4xbf16>
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x4x32x16xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>)
  return %y, %s1 : tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>
}
