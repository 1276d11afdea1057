// RUN: mamba-opt %s --split-input-file --mamba-fuse-elementwise | FileCheck %s

// Each fold of mamba-fuse-elementwise, and the cases where it must not fire:
// the intermediate has a second use, the op already has the operand or flag,
// the broadcast dim or rank is not the op's, the element type is not the
// op's, a value is defined after the scan, or the gate came before the skip
// term.

//===----------------------------------------------------------------------===//
// silu into causal_conv1d / causal_conv1d_update
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv_silu
// CHECK-SAME: (%[[X:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %[[W:[a-zA-Z0-9_]+]]: tensor<64x4xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<64xbf16>)
// CHECK: %[[Y:.*]] = mamba.causal_conv1d %[[X]], %[[W]] bias(%[[B]]) {activation = #mamba<activation silu>}
// CHECK-NOT: mamba.silu
// CHECK: return %[[Y]]
func.func @conv_silu(%x: tensor<2x64x?xbf16>, %w: tensor<64x4xbf16>, %b: tensor<64xbf16>) -> tensor<2x64x?xbf16> {
  %c = mamba.causal_conv1d %x, %w bias(%b) : (tensor<2x64x?xbf16>, tensor<64x4xbf16>, tensor<64xbf16>) -> tensor<2x64x?xbf16>
  %y = mamba.silu %c : tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

// -----

// The fold keeps the layout and the final_states result; only `out` feeds
// the silu.
// CHECK-LABEL: func.func @conv_silu_channel_last_with_states
// CHECK: %[[Y:.*]], %[[FS:.*]] = mamba.causal_conv1d %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {activation = #mamba<activation silu>, layout = #mamba<layout channel_last>}
// CHECK-NOT: mamba.silu
// CHECK: return %[[Y]], %[[FS]]
func.func @conv_silu_channel_last_with_states(%x: tensor<?x?x256xf32>, %w: tensor<256x4xf32>) -> (tensor<?x?x256xf32>, tensor<?x256x3xf32>) {
  %c, %fs = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_last>} : (tensor<?x?x256xf32>, tensor<256x4xf32>) -> (tensor<?x?x256xf32>, tensor<?x256x3xf32>)
  %y = mamba.silu %c : tensor<?x?x256xf32>
  return %y, %fs : tensor<?x?x256xf32>, tensor<?x256x3xf32>
}

// -----

// CHECK-LABEL: func.func @conv_update_silu
// CHECK: %[[OUT:.*]], %[[NS:.*]] = mamba.causal_conv1d_update %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {activation = #mamba<activation silu>}
// CHECK-NOT: mamba.silu
// CHECK: return %[[OUT]], %[[NS]]
func.func @conv_update_silu(%x: tensor<?x64xf16>, %s: tensor<?x64x4xf16>, %w: tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<?x64x4xf16>) {
  %c, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x64xf16>, tensor<?x64x4xf16>, tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<?x64x4xf16>)
  %y = mamba.silu %c : tensor<?x64xf16>
  return %y, %s1 : tensor<?x64xf16>, tensor<?x64x4xf16>
}

// -----

// Negative: the pre-activation output is also returned.
// CHECK-LABEL: func.func @conv_silu_second_use
// CHECK: %[[C:.*]] = mamba.causal_conv1d
// CHECK-NOT: activation
// CHECK: %[[Y:.*]] = mamba.silu %[[C]]
// CHECK: return %[[Y]], %[[C]]
func.func @conv_silu_second_use(%x: tensor<2x64x?xbf16>, %w: tensor<64x4xbf16>) -> (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>) {
  %c = mamba.causal_conv1d %x, %w : (tensor<2x64x?xbf16>, tensor<64x4xbf16>) -> tensor<2x64x?xbf16>
  %y = mamba.silu %c : tensor<2x64x?xbf16>
  return %y, %c : tensor<2x64x?xbf16>, tensor<2x64x?xbf16>
}

// -----

// Negative: the conv already applies silu; silu(silu(x)) stays two silus.
// CHECK-LABEL: func.func @conv_already_silu
// CHECK: %[[C:.*]] = mamba.causal_conv1d %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {activation = #mamba<activation silu>}
// CHECK: %[[Y:.*]] = mamba.silu %[[C]]
// CHECK: return %[[Y]]
func.func @conv_already_silu(%x: tensor<2x64x?xbf16>, %w: tensor<64x4xbf16>) -> tensor<2x64x?xbf16> {
  %c = mamba.causal_conv1d %x, %w {activation = #mamba<activation silu>} : (tensor<2x64x?xbf16>, tensor<64x4xbf16>) -> tensor<2x64x?xbf16>
  %y = mamba.silu %c : tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

// -----

// Negative: silu of the conv_update's new_state is not the activation.
// CHECK-LABEL: func.func @conv_update_silu_of_state
// CHECK: %[[OUT:.*]], %[[NS:.*]] = mamba.causal_conv1d_update
// CHECK-NOT: activation
// CHECK: %[[Y:.*]] = mamba.silu %[[NS]]
// CHECK: return %[[OUT]], %[[Y]]
func.func @conv_update_silu_of_state(%x: tensor<?x64xf16>, %s: tensor<?x64x4xf16>, %w: tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<?x64x4xf16>) {
  %c, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x64xf16>, tensor<?x64x4xf16>, tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<?x64x4xf16>)
  %y = mamba.silu %s1 : tensor<?x64x4xf16>
  return %c, %y : tensor<?x64xf16>, tensor<?x64x4xf16>
}

//===----------------------------------------------------------------------===//
// dt prologue of selective_scan: softplus(channel_add(delta, bias))
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @scan_dt_softplus_bias
// CHECK-SAME: (%[[U:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %[[DT:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %[[A:[a-zA-Z0-9_]+]]: tensor<64x16xf32>, %[[BC:[a-zA-Z0-9_]+]]: tensor<2x1x16x?xbf16>, %[[DB:[a-zA-Z0-9_]+]]: tensor<64xf32>)
// CHECK-NOT: mamba.channel_add
// CHECK-NOT: mamba.softplus
// CHECK: %[[Y:.*]] = mamba.selective_scan %[[U]], %[[DT]], %[[A]], %[[BC]], %[[BC]] delta_bias(%[[DB]]) {delta_softplus}
// CHECK: return %[[Y]]
func.func @scan_dt_softplus_bias(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %db: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %a = mamba.channel_add %dt, %db {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %sp = mamba.softplus %a : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

// -----

// CHECK-LABEL: func.func @scan_dt_softplus_only
// CHECK-SAME: (%[[U:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %[[DT:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>
// CHECK-NOT: mamba.softplus
// CHECK: %[[Y:.*]] = mamba.selective_scan %[[U]], %[[DT]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {delta_softplus}
// CHECK: return %[[Y]]
func.func @scan_dt_softplus_only(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16> {
  %sp = mamba.softplus %dt : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

// -----

// A bias without softplus folds into delta_bias and sets no flag.
// CHECK-LABEL: func.func @scan_dt_bias_only
// CHECK-SAME: (%[[U:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %[[DT:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %{{[a-zA-Z0-9_]+}}: tensor<64x16xf32>, %{{[a-zA-Z0-9_]+}}: tensor<2x1x16x?xbf16>, %[[DB:[a-zA-Z0-9_]+]]: tensor<64xf32>)
// CHECK-NOT: mamba.channel_add
// CHECK: %[[Y:.*]] = mamba.selective_scan %[[U]], %[[DT]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} delta_bias(%[[DB]]) :
// CHECK: return %[[Y]]
func.func @scan_dt_bias_only(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %db: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %a = mamba.channel_add %dt, %db {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %a, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

// -----

// Negative: delta_bias must be f32; a bf16 bias blocks the whole prologue
// (the softplus cannot move above an add that stays outside).
// CHECK-LABEL: func.func @scan_dt_bias_not_f32
// CHECK: %[[A:.*]] = mamba.channel_add
// CHECK: %[[SP:.*]] = mamba.softplus %[[A]]
// CHECK: mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %[[SP]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK-NOT: delta_softplus
// CHECK: return
func.func @scan_dt_bias_not_f32(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %db: tensor<64xbf16>) -> tensor<2x64x?xbf16> {
  %a = mamba.channel_add %dt, %db {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xbf16>) -> tensor<2x64x?xbf16>
  %sp = mamba.softplus %a : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

// -----

// Negative for the bias: a vector along L (dim 2) is not delta_bias. The
// softplus around it still folds.
// CHECK-LABEL: func.func @scan_dt_bias_wrong_dim
// CHECK: %[[A:.*]] = mamba.channel_add %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {dim = 2 : i64}
// CHECK-NOT: mamba.softplus
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %[[A]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {delta_softplus}
// CHECK-NOT: delta_bias
// CHECK: return %[[Y]]
func.func @scan_dt_bias_wrong_dim(%u: tensor<2x64x32xbf16>, %dt: tensor<2x64x32xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x32xbf16>, %lb: tensor<32xf32>) -> tensor<2x64x32xbf16> {
  %a = mamba.channel_add %dt, %lb {dim = 2 : i64} : (tensor<2x64x32xbf16>, tensor<32xf32>) -> tensor<2x64x32xbf16>
  %sp = mamba.softplus %a : tensor<2x64x32xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x32xbf16>, tensor<2x64x32xbf16>, tensor<64x16xf32>, tensor<2x1x16x32xbf16>, tensor<2x1x16x32xbf16>) -> tensor<2x64x32xbf16>
  return %y : tensor<2x64x32xbf16>
}

// -----

// The biased value has a second use: only the softplus folds.
// CHECK-LABEL: func.func @scan_dt_bias_second_use
// CHECK: %[[A:.*]] = mamba.channel_add
// CHECK-NOT: mamba.softplus
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %[[A]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {delta_softplus}
// CHECK-NOT: delta_bias
// CHECK: return %[[Y]], %[[A]]
func.func @scan_dt_bias_second_use(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %db: tensor<64xf32>) -> (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>) {
  %a = mamba.channel_add %dt, %db {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %sp = mamba.softplus %a : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y, %a : tensor<2x64x?xbf16>, tensor<2x64x?xbf16>
}

// -----

// Negative: the softplus output has a second use.
// CHECK-LABEL: func.func @scan_dt_softplus_second_use
// CHECK: %[[A:.*]] = mamba.channel_add
// CHECK: %[[SP:.*]] = mamba.softplus %[[A]]
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %[[SP]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK: return %[[Y]], %[[SP]]
func.func @scan_dt_softplus_second_use(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %db: tensor<64xf32>) -> (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>) {
  %a = mamba.channel_add %dt, %db {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %sp = mamba.softplus %a : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y, %sp : tensor<2x64x?xbf16>, tensor<2x64x?xbf16>
}

// -----

// Negative: the scan already applies softplus; softplus(softplus(dt)) stays.
// CHECK-LABEL: func.func @scan_dt_already_softplus
// CHECK: %[[SP:.*]] = mamba.softplus
// CHECK: mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %[[SP]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {delta_softplus}
func.func @scan_dt_already_softplus(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16> {
  %sp = mamba.softplus %dt : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC {delta_softplus} : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

// -----

// Negative: the scan already has delta_bias; a second bias does not fold.
// CHECK-LABEL: func.func @scan_dt_already_biased
// CHECK-SAME: %[[DB0:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[DB1:[a-zA-Z0-9_]+]]: tensor<64xf32>)
// CHECK: %[[A:.*]] = mamba.channel_add %{{[a-zA-Z0-9_]+}}, %[[DB1]]
// CHECK: mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %[[A]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} delta_bias(%[[DB0]]) :
func.func @scan_dt_already_biased(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %db0: tensor<64xf32>, %db1: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %a = mamba.channel_add %dt, %db1 {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %a, %A, %BC, %BC delta_bias(%db0) : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

// -----

// Negative: softplus(dt) + delta_bias is not softplus(dt + delta_bias); the
// scan adds its bias before its softplus, so the softplus must stay outside.
// CHECK-LABEL: func.func @scan_dt_softplus_under_existing_bias
// CHECK: %[[SP:.*]] = mamba.softplus
// CHECK: mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %[[SP]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} delta_bias(%{{[a-zA-Z0-9_]+}}) :
// CHECK-NOT: delta_softplus
// CHECK: return
func.func @scan_dt_softplus_under_existing_bias(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %db: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %sp = mamba.softplus %dt : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC delta_bias(%db) : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

//===----------------------------------------------------------------------===//
// Epilogue of selective_scan: skip term (D) and gate (z)
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @scan_skip
// CHECK-SAME: (%[[U:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %[[DT:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %{{[a-zA-Z0-9_]+}}: tensor<64x16xf32>, %{{[a-zA-Z0-9_]+}}: tensor<2x1x16x?xbf16>, %[[D:[a-zA-Z0-9_]+]]: tensor<64xf32>)
// CHECK: %[[Y:.*]] = mamba.selective_scan %[[U]], %[[DT]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} D(%[[D]]) :
// CHECK-NOT: mamba.channel_mul
// CHECK-NOT: arith.addf
// CHECK: return %[[Y]]
func.func @scan_skip(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %r = arith.addf %y, %du : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}

// -----

// The skip term on the left of the add, and a scan with last_state.
// CHECK-LABEL: func.func @scan_skip_commuted
// CHECK: %[[Y:.*]], %[[LS:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} D(%{{[a-zA-Z0-9_]+}}) :
// CHECK-NOT: arith.addf
// CHECK: return %[[Y]], %[[LS]]
func.func @scan_skip_commuted(%u: tensor<2x64x?xf32>, %dt: tensor<2x64x?xf32>, %A: tensor<64x16xf32>, %D: tensor<64xf32>) -> (tensor<2x64x?xf32>, tensor<2x64x16xf32>) {
  %y, %ls = mamba.selective_scan %u, %dt, %A, %A, %A : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> (tensor<2x64x?xf32>, tensor<2x64x16xf32>)
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xf32>, tensor<64xf32>) -> tensor<2x64x?xf32>
  %r = arith.addf %du, %y : tensor<2x64x?xf32>
  return %r, %ls : tensor<2x64x?xf32>, tensor<2x64x16xf32>
}

// -----

// CHECK-LABEL: func.func @scan_gate
// CHECK-SAME: %[[Z:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>)
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} z(%[[Z]]) :
// CHECK-NOT: mamba.silu
// CHECK-NOT: arith.mulf
// CHECK: return %[[Y]]
func.func @scan_gate(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %z: tensor<2x64x?xbf16>) -> tensor<2x64x?xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %g = mamba.silu %z : tensor<2x64x?xbf16>
  %r = arith.mulf %g, %y : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}

// -----

// The whole Mamba-1 scan written out: (scan + D * u) * silu(z) with
// softplus(dt + bias) becomes one op.
// CHECK-LABEL: func.func @scan_full_epilogue
// CHECK-SAME: (%[[U:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %[[DT:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %[[A:[a-zA-Z0-9_]+]]: tensor<64x16xf32>, %[[BC:[a-zA-Z0-9_]+]]: tensor<2x1x16x?xbf16>, %[[D:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[Z:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %[[DB:[a-zA-Z0-9_]+]]: tensor<64xf32>)
// CHECK-NEXT: %[[Y:.*]] = mamba.selective_scan %[[U]], %[[DT]], %[[A]], %[[BC]], %[[BC]] D(%[[D]]) z(%[[Z]]) delta_bias(%[[DB]]) {delta_softplus}
// CHECK-NEXT: return %[[Y]]
func.func @scan_full_epilogue(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>, %z: tensor<2x64x?xbf16>, %db: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %a = mamba.channel_add %dt, %db {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %sp = mamba.softplus %a : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %s = arith.addf %y, %du : tensor<2x64x?xbf16>
  %g = mamba.silu %z : tensor<2x64x?xbf16>
  %r = arith.mulf %s, %g : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}

// -----

// Negative order: (scan * silu(z)) + D * u. The gate folds; the skip term
// then cannot, since it would land under the gate.
// CHECK-LABEL: func.func @scan_gate_then_skip
// CHECK-SAME: (%[[U:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %{{[a-zA-Z0-9_]+}}: tensor<2x64x?xbf16>, %{{[a-zA-Z0-9_]+}}: tensor<64x16xf32>, %{{[a-zA-Z0-9_]+}}: tensor<2x1x16x?xbf16>, %[[D:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[Z:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>)
// CHECK: %[[Y:.*]] = mamba.selective_scan %[[U]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} z(%[[Z]]) :
// CHECK: %[[DU:.*]] = mamba.channel_mul %[[U]], %[[D]]
// CHECK: %[[R:.*]] = arith.addf %[[Y]], %[[DU]]
// CHECK: return %[[R]]
func.func @scan_gate_then_skip(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>, %z: tensor<2x64x?xbf16>) -> tensor<2x64x?xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %g = mamba.silu %z : tensor<2x64x?xbf16>
  %m = arith.mulf %y, %g : tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %r = arith.addf %m, %du : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}

// -----

// Negative: the scan output is also returned on its own.
// CHECK-LABEL: func.func @scan_skip_scan_second_use
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK: %[[DU:.*]] = mamba.channel_mul
// CHECK: %[[R:.*]] = arith.addf %[[Y]], %[[DU]]
// CHECK: return %[[R]], %[[Y]]
func.func @scan_skip_scan_second_use(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>) -> (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>) {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %r = arith.addf %y, %du : tensor<2x64x?xbf16>
  return %r, %y : tensor<2x64x?xbf16>, tensor<2x64x?xbf16>
}

// -----

// Negative: D * u is also returned on its own.
// CHECK-LABEL: func.func @scan_skip_mul_second_use
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK: %[[DU:.*]] = mamba.channel_mul
// CHECK: %[[R:.*]] = arith.addf %[[Y]], %[[DU]]
// CHECK: return %[[R]], %[[DU]]
func.func @scan_skip_mul_second_use(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>) -> (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>) {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %r = arith.addf %y, %du : tensor<2x64x?xbf16>
  return %r, %du : tensor<2x64x?xbf16>, tensor<2x64x?xbf16>
}

// -----

// Negative: the scan already has D; a second skip term stays outside.
// CHECK-LABEL: func.func @scan_skip_already_has_d
// CHECK-SAME: %[[D0:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[D1:[a-zA-Z0-9_]+]]: tensor<64xf32>)
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} D(%[[D0]]) :
// CHECK: %[[DU:.*]] = mamba.channel_mul %{{[a-zA-Z0-9_]+}}, %[[D1]]
// CHECK: arith.addf %[[Y]], %[[DU]]
func.func @scan_skip_already_has_d(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D0: tensor<64xf32>, %D1: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC D(%D0) : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D1 {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %r = arith.addf %y, %du : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}

// -----

// Negative: the scan already has z; neither a skip term nor a second gate
// folds.
// CHECK-LABEL: func.func @scan_already_has_z
// CHECK-SAME: %[[Z0:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>, %[[Z1:[a-zA-Z0-9_]+]]: tensor<2x64x?xbf16>)
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} z(%[[Z0]]) :
// CHECK: %[[DU:.*]] = mamba.channel_mul
// CHECK: %[[S:.*]] = arith.addf %[[Y]], %[[DU]]
// CHECK: %[[Y2:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} z(%[[Z0]]) :
// CHECK: %[[G:.*]] = mamba.silu %[[Z1]]
// CHECK: %[[M:.*]] = arith.mulf %[[Y2]], %[[G]]
// CHECK: return %[[S]], %[[M]]
func.func @scan_already_has_z(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>, %z0: tensor<2x64x?xbf16>, %z1: tensor<2x64x?xbf16>) -> (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>) {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC z(%z0) : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<2x64x?xbf16>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %s = arith.addf %y, %du : tensor<2x64x?xbf16>
  %y2 = mamba.selective_scan %dt, %u, %A, %BC, %BC z(%z0) : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<2x64x?xbf16>) -> tensor<2x64x?xbf16>
  %g = mamba.silu %z1 : tensor<2x64x?xbf16>
  %m = arith.mulf %y2, %g : tensor<2x64x?xbf16>
  return %s, %m : tensor<2x64x?xbf16>, tensor<2x64x?xbf16>
}

// -----

// Negative: a vector along L (dim 2) is not the skip parameter D.
// CHECK-LABEL: func.func @scan_skip_wrong_dim
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK: %[[DU:.*]] = mamba.channel_mul %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {dim = 2 : i64}
// CHECK: arith.addf %[[Y]], %[[DU]]
func.func @scan_skip_wrong_dim(%u: tensor<2x64x64xbf16>, %dt: tensor<2x64x64xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x64xbf16>, %w: tensor<64xf32>) -> tensor<2x64x64xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x64xbf16>, tensor<2x64x64xbf16>, tensor<64x16xf32>, tensor<2x1x16x64xbf16>, tensor<2x1x16x64xbf16>) -> tensor<2x64x64xbf16>
  %du = mamba.channel_mul %u, %w {dim = 2 : i64} : (tensor<2x64x64xbf16>, tensor<64xf32>) -> tensor<2x64x64xbf16>
  %r = arith.addf %y, %du : tensor<2x64x64xbf16>
  return %r : tensor<2x64x64xbf16>
}

// -----

// Negative: a (D, L) weight at dim 1 is not a per-channel D; folding it would
// give the scan a rank-2 D.
// CHECK-LABEL: func.func @scan_skip_rank2_weight
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK: %[[DU:.*]] = mamba.channel_mul %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {dim = 1 : i64} : (tensor<2x64x8xf32>, tensor<64x8xf32>)
// CHECK: arith.addf %[[Y]], %[[DU]]
func.func @scan_skip_rank2_weight(%u: tensor<2x64x8xf32>, %dt: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %w: tensor<64x8xf32>) -> tensor<2x64x8xf32> {
  %y = mamba.selective_scan %u, %dt, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  %du = mamba.channel_mul %u, %w {dim = 1 : i64} : (tensor<2x64x8xf32>, tensor<64x8xf32>) -> tensor<2x64x8xf32>
  %r = arith.addf %y, %du : tensor<2x64x8xf32>
  return %r : tensor<2x64x8xf32>
}

// -----

// Negative: the skip term multiplies another input than the scan's u.
// CHECK-LABEL: func.func @scan_skip_other_input
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK: %[[DU:.*]] = mamba.channel_mul
// CHECK: arith.addf %[[Y]], %[[DU]]
func.func @scan_skip_other_input(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %dt, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %r = arith.addf %y, %du : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}

// -----

// Negative: the scan's D is f32; a bf16 vector stays outside.
// CHECK-LABEL: func.func @scan_skip_not_f32
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK: %[[DU:.*]] = mamba.channel_mul
// CHECK: arith.addf %[[Y]], %[[DU]]
func.func @scan_skip_not_f32(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xbf16>) -> tensor<2x64x?xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xbf16>) -> tensor<2x64x?xbf16>
  %r = arith.addf %y, %du : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}

// -----

// Negative: the gate's silu output is used twice.
// CHECK-LABEL: func.func @scan_gate_silu_second_use
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK: %[[G:.*]] = mamba.silu
// CHECK: %[[M:.*]] = arith.mulf %[[Y]], %[[G]]
// CHECK: return %[[M]], %[[G]]
func.func @scan_gate_silu_second_use(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %z: tensor<2x64x?xbf16>) -> (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>) {
  %y = mamba.selective_scan %u, %dt, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %g = mamba.silu %z : tensor<2x64x?xbf16>
  %m = arith.mulf %y, %g : tensor<2x64x?xbf16>
  return %m, %g : tensor<2x64x?xbf16>, tensor<2x64x?xbf16>
}

// -----

// Negative: z is computed after the scan, so it cannot become its operand.
// CHECK-LABEL: func.func @scan_gate_defined_after
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK: %[[Z:.*]] = mamba.softplus
// CHECK: %[[G:.*]] = mamba.silu %[[Z]]
// CHECK: arith.mulf %[[Y]], %[[G]]
func.func @scan_gate_defined_after(%u: tensor<2x64x8xf32>, %dt: tensor<2x64x8xf32>, %A: tensor<64x16xf32>) -> tensor<2x64x8xf32> {
  %y = mamba.selective_scan %u, %dt, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  %z = mamba.softplus %u : tensor<2x64x8xf32>
  %g = mamba.silu %z : tensor<2x64x8xf32>
  %r = arith.mulf %y, %g : tensor<2x64x8xf32>
  return %r : tensor<2x64x8xf32>
}

// -----

// Negative: D is computed after the scan.
// CHECK-LABEL: func.func @scan_skip_defined_after
// CHECK: %[[Y:.*]] = mamba.selective_scan %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} :
// CHECK: %[[D:.*]] = arith.negf
// CHECK: %[[DU:.*]] = mamba.channel_mul %{{[a-zA-Z0-9_]+}}, %[[D]]
// CHECK: arith.addf %[[Y]], %[[DU]]
func.func @scan_skip_defined_after(%u: tensor<2x64x8xf32>, %dt: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %D0: tensor<64xf32>) -> tensor<2x64x8xf32> {
  %y = mamba.selective_scan %u, %dt, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  %D = arith.negf %D0 : tensor<64xf32>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x8xf32>, tensor<64xf32>) -> tensor<2x64x8xf32>
  %r = arith.addf %y, %du : tensor<2x64x8xf32>
  return %r : tensor<2x64x8xf32>
}

//===----------------------------------------------------------------------===//
// ssd (Mamba-2): dt prologue along dim 2, skip term along dim 2, gate
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @ssd_full
// CHECK-SAME: (%[[X:[a-zA-Z0-9_]+]]: tensor<1x?x24x64xbf16>, %[[DT:[a-zA-Z0-9_]+]]: tensor<1x?x24xbf16>, %[[A:[a-zA-Z0-9_]+]]: tensor<24xf32>, %[[BC:[a-zA-Z0-9_]+]]: tensor<1x?x1x128xbf16>, %[[D:[a-zA-Z0-9_]+]]: tensor<24xf32>, %[[Z:[a-zA-Z0-9_]+]]: tensor<1x?x24x64xbf16>, %[[DB:[a-zA-Z0-9_]+]]: tensor<24xf32>)
// CHECK-NEXT: %[[Y:.*]], %[[FS:.*]] = mamba.ssd %[[X]], %[[DT]], %[[A]], %[[BC]], %[[BC]] D(%[[D]]) z(%[[Z]]) dt_bias(%[[DB]]) {dt_softplus}
// CHECK-NEXT: return %[[Y]], %[[FS]]
func.func @ssd_full(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>, %D: tensor<24xf32>, %z: tensor<1x?x24x64xbf16>, %db: tensor<24xf32>) -> (tensor<1x?x24x64xbf16>, tensor<1x24x64x128xf32>) {
  %a = mamba.channel_add %dt, %db {dim = 2 : i64} : (tensor<1x?x24xbf16>, tensor<24xf32>) -> tensor<1x?x24xbf16>
  %sp = mamba.softplus %a : tensor<1x?x24xbf16>
  %y, %fs = mamba.ssd %x, %sp, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> (tensor<1x?x24x64xbf16>, tensor<1x24x64x128xf32>)
  %dx = mamba.channel_mul %x, %D {dim = 2 : i64} : (tensor<1x?x24x64xbf16>, tensor<24xf32>) -> tensor<1x?x24x64xbf16>
  %s = arith.addf %y, %dx : tensor<1x?x24x64xbf16>
  %g = mamba.silu %z : tensor<1x?x24x64xbf16>
  %r = arith.mulf %s, %g : tensor<1x?x24x64xbf16>
  return %r, %fs : tensor<1x?x24x64xbf16>, tensor<1x24x64x128xf32>
}

// -----

// A per-channel (H, P) skip weight is a valid D of ssd.
// CHECK-LABEL: func.func @ssd_skip_per_channel
// CHECK-SAME: %[[D:[a-zA-Z0-9_]+]]: tensor<24x64xf32>)
// CHECK-NEXT: %[[Y:.*]] = mamba.ssd %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} D(%[[D]]) :
// CHECK-NEXT: return %[[Y]]
func.func @ssd_skip_per_channel(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>, %D: tensor<24x64xf32>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  %dx = mamba.channel_mul %x, %D {dim = 2 : i64} : (tensor<1x?x24x64xbf16>, tensor<24x64xf32>) -> tensor<1x?x24x64xbf16>
  %s = arith.addf %y, %dx : tensor<1x?x24x64xbf16>
  return %s : tensor<1x?x24x64xbf16>
}

// -----

// Negative: a vector along P (dim 3) is not ssd's D, and a bias along L
// (dim 1) is not dt_bias (the softplus still folds).
// CHECK-LABEL: func.func @ssd_wrong_dims
// CHECK: %[[A:.*]] = mamba.channel_add %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {dim = 1 : i64}
// CHECK-NOT: mamba.softplus
// CHECK: %[[Y:.*]] = mamba.ssd %{{[a-zA-Z0-9_]+}}, %[[A]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {dt_softplus}
// CHECK: %[[DX:.*]] = mamba.channel_mul %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} {dim = 3 : i64}
// CHECK: arith.addf %[[Y]], %[[DX]]
func.func @ssd_wrong_dims(%x: tensor<1x24x24x64xbf16>, %dt: tensor<1x24x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x24x1x128xbf16>, %w: tensor<64xf32>, %lb: tensor<24xf32>) -> tensor<1x24x24x64xbf16> {
  %a = mamba.channel_add %dt, %lb {dim = 1 : i64} : (tensor<1x24x24xbf16>, tensor<24xf32>) -> tensor<1x24x24xbf16>
  %sp = mamba.softplus %a : tensor<1x24x24xbf16>
  %y = mamba.ssd %x, %sp, %A, %BC, %BC : (tensor<1x24x24x64xbf16>, tensor<1x24x24xbf16>, tensor<24xf32>, tensor<1x24x1x128xbf16>, tensor<1x24x1x128xbf16>) -> tensor<1x24x24x64xbf16>
  %dx = mamba.channel_mul %x, %w {dim = 3 : i64} : (tensor<1x24x24x64xbf16>, tensor<64xf32>) -> tensor<1x24x24x64xbf16>
  %s = arith.addf %y, %dx : tensor<1x24x24x64xbf16>
  return %s : tensor<1x24x24x64xbf16>
}

// -----

// Negative: softplus(dt) under an existing dt_bias, and a gate whose silu
// has a second use.
// CHECK-LABEL: func.func @ssd_no_fold
// CHECK: %[[SP:.*]] = mamba.softplus
// CHECK: %[[Y:.*]] = mamba.ssd %{{[a-zA-Z0-9_]+}}, %[[SP]], %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}}, %{{[a-zA-Z0-9_]+}} dt_bias(%{{[a-zA-Z0-9_]+}}) :
// CHECK: %[[G:.*]] = mamba.silu
// CHECK: %[[M:.*]] = arith.mulf %[[Y]], %[[G]]
// CHECK: return %[[M]], %[[G]]
func.func @ssd_no_fold(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>, %db: tensor<24xf32>, %z: tensor<1x?x24x64xbf16>) -> (tensor<1x?x24x64xbf16>, tensor<1x?x24x64xbf16>) {
  %sp = mamba.softplus %dt : tensor<1x?x24xbf16>
  %y = mamba.ssd %x, %sp, %A, %BC, %BC dt_bias(%db) : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<24xf32>) -> tensor<1x?x24x64xbf16>
  %g = mamba.silu %z : tensor<1x?x24x64xbf16>
  %m = arith.mulf %y, %g : tensor<1x?x24x64xbf16>
  return %m, %g : tensor<1x?x24x64xbf16>, tensor<1x?x24x64xbf16>
}
