// RUN: mamba-opt %s --split-input-file --verify-diagnostics

// One case per diagnostic path of the verifiers in dialect/MambaOps.cpp and
// dialect/MambaDialect.cpp, plus the ODS type constraints.

//===----------------------------------------------------------------------===//
// causal_conv1d
//===----------------------------------------------------------------------===//

func.func @causal_conv1d_x_rank_channel_first(%x: tensor<2x64xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'x' of rank 3 (Bt, D, L) for layout channel_first, got rank 2}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64xf32>, tensor<64x4xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @causal_conv1d_x_rank_channel_last(%x: tensor<2x8x64x1xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'x' of rank 3 (Bt, L, D) for layout channel_last, got rank 4}}
  %y = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_last>} : (tensor<2x8x64x1xf32>, tensor<64x4xf32>) -> tensor<2x8x64x1xf32>
  return
}

// -----

func.func @causal_conv1d_x_i8(%x: tensor<2x64x8xi8>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x64x8xi8>'}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xi8>, tensor<64x4xf32>) -> tensor<2x64x8xi8>
  return
}

// -----

func.func @causal_conv1d_x_unranked(%x: tensor<*xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<*xf32>'}}
  %y = "mamba.causal_conv1d"(%x, %w) <{operandSegmentSizes = array<i32: 1, 1, 0, 0, 0, 0>}> : (tensor<*xf32>, tensor<64x4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @causal_conv1d_bad_layout(%x: tensor<2x64x8xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+2 {{expected ::mlir::mamba::ConvLayout to be one of: channel_first, channel_last}}
  // expected-error @+1 {{failed to parse Mamba_ConvLayoutAttr parameter 'value'}}
  %y = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_middle>} : (tensor<2x64x8xf32>, tensor<64x4xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @causal_conv1d_bad_activation(%x: tensor<2x64x8xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+2 {{expected ::mlir::mamba::Activation to be one of: none, silu}}
  // expected-error @+1 {{failed to parse Mamba_ActivationAttr parameter 'value'}}
  %y = mamba.causal_conv1d %x, %w {activation = #mamba<activation gelu>} : (tensor<2x64x8xf32>, tensor<64x4xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @causal_conv1d_weight_rank(%x: tensor<2x64x8xf32>, %w: tensor<64x1x4xf32>) {
  // expected-error @+1 {{expects 'weight' of rank 2 (D, W), got rank 3}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xf32>, tensor<64x1x4xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @causal_conv1d_width_dynamic(%x: tensor<2x64x8xf32>, %w: tensor<64x?xf32>) {
  // expected-error @+1 {{expects d_conv (weight dim 1) to be static (kernels are specialised on it), got '?'}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xf32>, tensor<64x?xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @causal_conv1d_width_too_large(%x: tensor<2x64x8xf32>, %w: tensor<64x5xf32>) {
  // expected-error @+1 {{expects d_conv (weight dim 1) in [2, 4], got 5}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xf32>, tensor<64x5xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @causal_conv1d_width_too_small(%x: tensor<2x64x8xf32>, %w: tensor<64x1xf32>) {
  // expected-error @+1 {{expects d_conv (weight dim 1) in [2, 4], got 1}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xf32>, tensor<64x1xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @causal_conv1d_weight_channels(%x: tensor<2x64x8xf32>, %w: tensor<32x4xf32>) {
  // expected-error @+1 {{expects 'weight' of shape (D, W) = (64, 4), got (32, 4) (dim 0, D, differs)}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xf32>, tensor<32x4xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

// With channel_last, D is the last dim of x, not the middle one.
func.func @causal_conv1d_weight_channels_channel_last(%x: tensor<2x64x8xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'weight' of shape (D, W) = (8, 4), got (64, 4) (dim 0, D, differs)}}
  %y = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_last>} : (tensor<2x64x8xf32>, tensor<64x4xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @causal_conv1d_bias_rank(%x: tensor<2x64x8xf32>, %w: tensor<64x4xf32>, %b: tensor<1x64xf32>) {
  // expected-error @+1 {{expects 'bias' of rank 1 (D), got rank 2 (1, 64)}}
  %y = mamba.causal_conv1d %x, %w bias(%b) : (tensor<2x64x8xf32>, tensor<64x4xf32>, tensor<1x64xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @causal_conv1d_bias_shape(%x: tensor<2x?x8xf32>, %w: tensor<64x4xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{expects 'bias' of shape (D) = (64), got (32) (dim 0, D, differs)}}
  %y = mamba.causal_conv1d %x, %w bias(%b) : (tensor<2x?x8xf32>, tensor<64x4xf32>, tensor<32xf32>) -> tensor<2x?x8xf32>
  return
}

// -----

func.func @causal_conv1d_bias_type(%x: tensor<2x64x8xbf16>, %w: tensor<64x4xf32>, %b: tensor<64xbf16>) {
  // expected-error @+1 {{expects 'bias' element type 'f32' (the weight's element type), got 'bf16'}}
  %y = mamba.causal_conv1d %x, %w bias(%b) : (tensor<2x64x8xbf16>, tensor<64x4xf32>, tensor<64xbf16>) -> tensor<2x64x8xbf16>
  return
}

// -----

func.func @causal_conv1d_initial_states_batch(%x: tensor<2x8x64xf16>, %w: tensor<64x4xf16>, %s: tensor<3x64x3xf16>) {
  // expected-error @+1 {{expects 'initial_states' of shape (Bt, D, W-1) = (2, 64, 3), got (3, 64, 3) (dim 0, Bt, differs)}}
  %y = mamba.causal_conv1d %x, %w initial_states(%s) {layout = #mamba<layout channel_last>} : (tensor<2x8x64xf16>, tensor<64x4xf16>, tensor<3x64x3xf16>) -> tensor<2x8x64xf16>
  return
}

// -----

func.func @causal_conv1d_initial_states_width(%x: tensor<?x?x64xf16>, %w: tensor<64x4xf16>, %s: tensor<?x64x4xf16>) {
  // expected-error @+1 {{expects 'initial_states' of shape (Bt, D, W-1) = (?, 64, 3), got (?, 64, 4) (dim 2, W-1, differs)}}
  %y = mamba.causal_conv1d %x, %w initial_states(%s) {layout = #mamba<layout channel_last>} : (tensor<?x?x64xf16>, tensor<64x4xf16>, tensor<?x64x4xf16>) -> tensor<?x?x64xf16>
  return
}

// -----

func.func @causal_conv1d_initial_states_rank(%x: tensor<?x?x64xf16>, %w: tensor<64x4xf16>, %s: tensor<64x3xf16>) {
  // expected-error @+1 {{expects 'initial_states' of rank 3 (Bt, D, W-1), got rank 2 (64, 3)}}
  %y = mamba.causal_conv1d %x, %w initial_states(%s) {layout = #mamba<layout channel_last>} : (tensor<?x?x64xf16>, tensor<64x4xf16>, tensor<64x3xf16>) -> tensor<?x?x64xf16>
  return
}

// -----

func.func @causal_conv1d_initial_states_type(%x: tensor<?x?x64xf16>, %w: tensor<64x4xf16>, %s: tensor<?x64x3xf32>) {
  // expected-error @+1 {{expects 'initial_states' element type 'f16' (the element type of x), got 'f32'}}
  %y = mamba.causal_conv1d %x, %w initial_states(%s) {layout = #mamba<layout channel_last>} : (tensor<?x?x64xf16>, tensor<64x4xf16>, tensor<?x64x3xf32>) -> tensor<?x?x64xf16>
  return
}

// -----

func.func @causal_conv1d_seq_idx_shape(%x: tensor<2x16x64xf32>, %w: tensor<64x4xf32>, %seq: tensor<2x64xi32>) {
  // expected-error @+1 {{expects 'seq_idx' of shape (Bt, L) = (2, 16), got (2, 64) (dim 1, L, differs)}}
  %y = mamba.causal_conv1d %x, %w seq_idx(%seq) {layout = #mamba<layout channel_last>} : (tensor<2x16x64xf32>, tensor<64x4xf32>, tensor<2x64xi32>) -> tensor<2x16x64xf32>
  return
}

// -----

func.func @causal_conv1d_seq_idx_rank(%x: tensor<2x16x64xf32>, %w: tensor<64x4xf32>, %seq: tensor<32xi32>) {
  // expected-error @+1 {{expects 'seq_idx' of rank 2 (Bt, L), got rank 1 (32)}}
  %y = mamba.causal_conv1d %x, %w seq_idx(%seq) {layout = #mamba<layout channel_last>} : (tensor<2x16x64xf32>, tensor<64x4xf32>, tensor<32xi32>) -> tensor<2x16x64xf32>
  return
}

// -----

func.func @causal_conv1d_seq_idx_i64(%x: tensor<2x16x64xf32>, %w: tensor<64x4xf32>, %seq: tensor<2x16xi64>) {
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit signless integer values, but got 'tensor<2x16xi64>'}}
  %y = mamba.causal_conv1d %x, %w seq_idx(%seq) {layout = #mamba<layout channel_last>} : (tensor<2x16x64xf32>, tensor<64x4xf32>, tensor<2x16xi64>) -> tensor<2x16x64xf32>
  return
}

// -----

func.func @causal_conv1d_out_type(%x: tensor<2x64x8xbf16>, %w: tensor<64x4xbf16>) {
  // expected-error @+1 {{expects 'out' to have the type of 'x' ('tensor<2x64x8xbf16>'), got 'tensor<2x64x8xf32>'}}
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x8xbf16>, tensor<64x4xbf16>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @causal_conv1d_final_states_shape(%x: tensor<2x64x8xbf16>, %w: tensor<64x3xbf16>) {
  // expected-error @+1 {{expects 'final_states' of shape (Bt, D, W-1) = (2, 64, 2), got (2, 64, 3) (dim 2, W-1, differs)}}
  %y, %fs = mamba.causal_conv1d %x, %w : (tensor<2x64x8xbf16>, tensor<64x3xbf16>) -> (tensor<2x64x8xbf16>, tensor<2x64x3xbf16>)
  return
}

// -----

func.func @causal_conv1d_final_states_type(%x: tensor<2x64x8xbf16>, %w: tensor<64x3xbf16>) {
  // expected-error @+1 {{expects 'final_states' element type 'bf16' (the element type of x), got 'f32'}}
  %y, %fs = mamba.causal_conv1d %x, %w : (tensor<2x64x8xbf16>, tensor<64x3xbf16>) -> (tensor<2x64x8xbf16>, tensor<2x64x2xf32>)
  return
}

// -----

func.func @causal_conv1d_segment_sizes(%x: tensor<2x64x8xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{operand count (2) does not match with the total size (3) specified in attribute 'operandSegmentSizes'}}
  %y = "mamba.causal_conv1d"(%x, %w) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>}> : (tensor<2x64x8xf32>, tensor<64x4xf32>) -> tensor<2x64x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// causal_conv1d_update
//===----------------------------------------------------------------------===//

// -----

func.func @causal_conv1d_update_x_rank(%x: tensor<2x64x1xf32>, %s: tensor<2x64x4xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'x' of rank 2 (Bt, D), got rank 3}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64x1xf32>, tensor<2x64x4xf32>, tensor<64x4xf32>) -> (tensor<2x64x1xf32>, tensor<2x64x4xf32>)
  return
}

// -----

func.func @causal_conv1d_update_weight_rank(%x: tensor<2x64xf32>, %s: tensor<2x64x4xf32>, %w: tensor<64xf32>) {
  // expected-error @+1 {{expects 'weight' of rank 2 (D, W), got rank 1}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<2x64x4xf32>, tensor<64xf32>) -> (tensor<2x64xf32>, tensor<2x64x4xf32>)
  return
}

// -----

func.func @causal_conv1d_update_width_dynamic(%x: tensor<2x64xf32>, %s: tensor<2x64x4xf32>, %w: tensor<64x?xf32>) {
  // expected-error @+1 {{expects d_conv (weight dim 1) to be static}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<2x64x4xf32>, tensor<64x?xf32>) -> (tensor<2x64xf32>, tensor<2x64x4xf32>)
  return
}

// -----

func.func @causal_conv1d_update_width_range(%x: tensor<2x64xf32>, %s: tensor<2x64x8xf32>, %w: tensor<64x8xf32>) {
  // expected-error @+1 {{expects d_conv (weight dim 1) in [2, 4], got 8}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<2x64x8xf32>, tensor<64x8xf32>) -> (tensor<2x64xf32>, tensor<2x64x8xf32>)
  return
}

// -----

func.func @causal_conv1d_update_weight_channels(%x: tensor<?x64xf32>, %s: tensor<?x64x4xf32>, %w: tensor<128x4xf32>) {
  // expected-error @+1 {{expects 'weight' of shape (D, W) = (64, 4), got (128, 4) (dim 0, D, differs)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x64xf32>, tensor<?x64x4xf32>, tensor<128x4xf32>) -> (tensor<?x64xf32>, tensor<?x64x4xf32>)
  return
}

// -----

func.func @causal_conv1d_update_state_rank(%x: tensor<2x64xf32>, %s: tensor<2x64xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'conv_state' of rank 3 (S, D, K), got rank 2}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x4xf32>) -> (tensor<2x64xf32>, tensor<2x64xf32>)
  return
}

// -----

// Without state_indices the state pool must have one row per batch row.
func.func @causal_conv1d_update_state_pool(%x: tensor<2x64xf32>, %s: tensor<8x64x4xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'conv_state' of shape (S, D, K) = (2, 64, 4), got (8, 64, 4) (dim 0, S, differs)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<8x64x4xf32>, tensor<64x4xf32>) -> (tensor<2x64xf32>, tensor<8x64x4xf32>)
  return
}

// -----

func.func @causal_conv1d_update_state_channels(%x: tensor<2x?xf32>, %s: tensor<2x32x4xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'conv_state' of shape (S, D, K) = (2, 64, 4), got (2, 32, 4) (dim 1, D, differs)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x?xf32>, tensor<2x32x4xf32>, tensor<64x4xf32>) -> (tensor<2x?xf32>, tensor<2x32x4xf32>)
  return
}

// -----

func.func @causal_conv1d_update_state_length(%x: tensor<2x64xf32>, %s: tensor<2x64x2xf32>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects conv_state length K >= d_conv - 1 = 3, got 2}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf32>, tensor<2x64x2xf32>, tensor<64x4xf32>) -> (tensor<2x64xf32>, tensor<2x64x2xf32>)
  return
}

// -----

func.func @causal_conv1d_update_state_type(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf32>, %w: tensor<64x4xf16>) {
  // expected-error @+1 {{expects 'conv_state' element type 'f16' (the element type of x), got 'f32'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf16>, tensor<2x64x4xf32>, tensor<64x4xf16>) -> (tensor<2x64xf16>, tensor<2x64x4xf32>)
  return
}

// -----

func.func @causal_conv1d_update_bias_shape(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf16>, %w: tensor<64x4xf16>, %b: tensor<63xf16>) {
  // expected-error @+1 {{expects 'bias' of shape (D) = (64), got (63) (dim 0, D, differs)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w bias(%b) : (tensor<2x64xf16>, tensor<2x64x4xf16>, tensor<64x4xf16>, tensor<63xf16>) -> (tensor<2x64xf16>, tensor<2x64x4xf16>)
  return
}

// -----

func.func @causal_conv1d_update_bias_type(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf16>, %w: tensor<64x4xf16>, %b: tensor<64xf32>) {
  // expected-error @+1 {{expects 'bias' element type 'f16' (the weight's element type), got 'f32'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w bias(%b) : (tensor<2x64xf16>, tensor<2x64x4xf16>, tensor<64x4xf16>, tensor<64xf32>) -> (tensor<2x64xf16>, tensor<2x64x4xf16>)
  return
}

// -----

func.func @causal_conv1d_update_indices_shape(%x: tensor<2x64xf16>, %s: tensor<8x64x4xf16>, %w: tensor<64x4xf16>, %idx: tensor<3xi32>) {
  // expected-error @+1 {{expects 'state_indices' of shape (Bt) = (2), got (3) (dim 0, Bt, differs)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w state_indices(%idx) : (tensor<2x64xf16>, tensor<8x64x4xf16>, tensor<64x4xf16>, tensor<3xi32>) -> (tensor<2x64xf16>, tensor<8x64x4xf16>)
  return
}

// -----

func.func @causal_conv1d_update_indices_type(%x: tensor<2x64xf16>, %s: tensor<8x64x4xf16>, %w: tensor<64x4xf16>, %idx: tensor<2xf32>) {
  // expected-error @+1 {{operand #3 must be ranked tensor of 32-bit signless integer values, but got 'tensor<2xf32>'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w state_indices(%idx) : (tensor<2x64xf16>, tensor<8x64x4xf16>, tensor<64x4xf16>, tensor<2xf32>) -> (tensor<2x64xf16>, tensor<8x64x4xf16>)
  return
}

// -----

func.func @causal_conv1d_update_out_type(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf16>, %w: tensor<64x4xf16>) {
  // expected-error @+1 {{expects 'out' to have the type of 'x' ('tensor<2x64xf16>'), got 'tensor<?x64xf16>'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf16>, tensor<2x64x4xf16>, tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<2x64x4xf16>)
  return
}

// -----

func.func @causal_conv1d_update_new_state_type(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf16>, %w: tensor<64x4xf16>) {
  // expected-error @+1 {{expects 'new_state' to have the type of 'conv_state' ('tensor<2x64x4xf16>'), got 'tensor<2x64x3xf16>'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf16>, tensor<2x64x4xf16>, tensor<64x4xf16>) -> (tensor<2x64xf16>, tensor<2x64x3xf16>)
  return
}

// -----

func.func @causal_conv1d_update_new_state_i8(%x: tensor<2x64xf16>, %s: tensor<2x64x4xf16>, %w: tensor<64x4xf16>) {
  // expected-error @+1 {{result #1 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x64x4xi8>'}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<2x64xf16>, tensor<2x64x4xf16>, tensor<64x4xf16>) -> (tensor<2x64xf16>, tensor<2x64x4xi8>)
  return
}

//===----------------------------------------------------------------------===//
// selective_scan
//===----------------------------------------------------------------------===//

// -----

func.func @selective_scan_u_rank(%u: tensor<2x64xf32>, %A: tensor<64x16xf32>) {
  // expected-error @+1 {{expects 'u' of rank 3 (Bt, D, L), got rank 2}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @selective_scan_delta_type(%u: tensor<2x64x8xbf16>, %dt: tensor<2x64x8xf32>, %A: tensor<64x16xf32>) {
  // expected-error @+1 {{expects 'delta' to have the type of 'u' ('tensor<2x64x8xbf16>'), got 'tensor<2x64x8xf32>'}}
  %y = mamba.selective_scan %u, %dt, %A, %A, %A : (tensor<2x64x8xbf16>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xbf16>
  return
}

// -----

func.func @selective_scan_A_rank(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %A3: tensor<1x64x16xf32>) {
  // expected-error @+1 {{expects 'A' of rank 2 (D, N), got rank 3}}
  %y = mamba.selective_scan %u, %u, %A3, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<1x64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

// A rank-0 A used to crash the verifier (it read A's dim 0 before its rank).
func.func @selective_scan_A_rank0(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %A0: tensor<f32>) {
  // expected-error @+1 {{expects 'A' of rank 2 (D, N), got rank 0}}
  %y = mamba.selective_scan %u, %u, %A0, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<f32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_A_bf16(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xbf16>, %B: tensor<64x16xf32>) {
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit float values, but got 'tensor<64x16xbf16>'}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xbf16>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xbf16>
  return
}

// -----

func.func @selective_scan_dstate_dynamic(%u: tensor<2x64x8xf32>, %A: tensor<64x?xf32>) {
  // expected-error @+1 {{expects d_state to be static (kernels are specialised on it), got '?'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x?xf32>, tensor<64x?xf32>, tensor<64x?xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_dstate_too_large(%u: tensor<2x64x8xf32>, %A: tensor<64x512xf32>) {
  // expected-error @+1 {{expects d_state <= 256, got 512}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x512xf32>, tensor<64x512xf32>, tensor<64x512xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_dstate_not_multiple_of_8(%u: tensor<2x64x8xf32>, %A: tensor<64x12xf32>) {
  // expected-error @+1 {{expects d_state to be a multiple of 8 in [8, 256], got 12}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x12xf32>, tensor<64x12xf32>, tensor<64x12xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_dstate_zero(%u: tensor<2x64x8xf32>, %A: tensor<64x0xf32>) {
  // expected-error @+1 {{expects d_state to be a multiple of 8 in [8, 256], got 0}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x0xf32>, tensor<64x0xf32>, tensor<64x0xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_B_channels_dynamic_u(%u: tensor<2x?x8xf32>, %A: tensor<32x16xf32>, %B: tensor<64x16xf32>) {
  // expected-error @+1 {{expects 'B' of shape (D, N) = (32, 16), got (64, 16) (dim 0, D, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B : (tensor<2x?x8xf32>, tensor<2x?x8xf32>, tensor<32x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x?x8xf32>
  return
}

// -----

func.func @selective_scan_A_vs_u_channels(%u: tensor<2x64x8xf32>, %A: tensor<32x16xf32>) {
  // expected-error @+1 {{expects 'A' of shape (D, N) = (64, 16), got (32, 16) (dim 0, D, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<32x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_const_B_state(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<64x32xf32>) {
  // expected-error @+1 {{expects 'B' of shape (D, N) = (64, 16), got (64, 32) (dim 1, N, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x32xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_const_B_type(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xf32>, %B: tensor<64x16xbf16>) {
  // expected-error @+1 {{expects 'B' element type 'f32' (a constant (rank 2) B/C is f32), got 'bf16'}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xf32>, tensor<64x16xbf16>, tensor<64x16xf32>) -> tensor<2x64x8xbf16>
  return
}

// -----

func.func @selective_scan_rank3_B_length(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16x9xf32>) {
  // expected-error @+1 {{expects 'B' of shape (Bt, N, L) = (2, 16, 8), got (2, 16, 9) (dim 2, L, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<2x16x9xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_rank3_B_type(%u: tensor<2x64x8xf16>, %A: tensor<64x16xf32>, %B: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expects 'B' element type 'f16' (a per-token B/C has the element type of u), got 'f32'}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf16>, tensor<2x64x8xf16>, tensor<64x16xf32>, tensor<2x16x8xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf16>
  return
}

// -----

func.func @selective_scan_groups_dynamic(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<2x?x16x8xf32>) {
  // expected-error @+1 {{expects ngroups to be static (kernels are specialised on it), got '?'}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<2x?x16x8xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_groups_zero(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<2x0x16x8xf32>) {
  // expected-error @+1 {{expects ngroups >= 1, got 0}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<2x0x16x8xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_groups_divide(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<2x3x16x8xf32>) {
  // expected-error @+1 {{expects ngroups (3) to divide channels D (64)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<2x3x16x8xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_rank4_B_batch(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<4x2x16x8xf32>) {
  // expected-error @+1 {{expects 'B' of shape (Bt, G, N, L) = (2, 2, 16, 8), got (4, 2, 16, 8) (dim 0, Bt, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<4x2x16x8xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_rank4_B_type(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x2x16x8xf16>) {
  // expected-error @+1 {{expects 'B' element type 'bf16' (a per-token B/C has the element type of u), got 'f16'}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xf32>, tensor<2x2x16x8xf16>, tensor<64x16xf32>) -> tensor<2x64x8xbf16>
  return
}

// -----

// Used to be accepted: a dangling `else` skipped every check of a rank > 3 B.
func.func @selective_scan_B_rank5(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %B: tensor<2x1x16x8x1xf32>) {
  // expected-error @+1 {{expects 'B' of rank 2 (D, N), 3 (Bt, N, L) or 4 (Bt, G, N, L), got rank 5}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<2x1x16x8x1xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_C_rank1(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %C: tensor<16xf32>) {
  // expected-error @+1 {{expects 'C' of rank 2 (D, N), 3 (Bt, N, L) or 4 (Bt, G, N, L), got rank 1}}
  %y = mamba.selective_scan %u, %u, %A, %A, %C : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_C_const_type(%u: tensor<2x64x8xf16>, %A: tensor<64x16xf32>, %C: tensor<64x16xf16>) {
  // expected-error @+1 {{expects 'C' element type 'f32' (a constant (rank 2) B/C is f32), got 'f16'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %C : (tensor<2x64x8xf16>, tensor<2x64x8xf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf16>) -> tensor<2x64x8xf16>
  return
}

// -----

func.func @selective_scan_C_groups(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %C: tensor<2x5x16x8xf32>) {
  // expected-error @+1 {{expects ngroups (5) to divide channels D (64)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %C : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<2x5x16x8xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_C_state(%u: tensor<2x64x?xf32>, %A: tensor<64x16xf32>, %C: tensor<2x16x?xf32>, %C4: tensor<2x1x8x?xf32>) {
  // expected-error @+1 {{expects 'C' of shape (Bt, G, N, L) = (2, 1, 16, ?), got (2, 1, 8, ?) (dim 2, N, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %C, %C4 : (tensor<2x64x?xf32>, tensor<2x64x?xf32>, tensor<64x16xf32>, tensor<2x16x?xf32>, tensor<2x1x8x?xf32>) -> tensor<2x64x?xf32>
  return
}

// -----

func.func @selective_scan_D_shape(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %D: tensor<16xf32>) {
  // expected-error @+1 {{expects 'D' of shape (D) = (64), got (16) (dim 0, D, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A D(%D) : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_D_bf16(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xf32>, %D: tensor<64xbf16>) {
  // expected-error @+1 {{operand #5 must be ranked tensor of 32-bit float values, but got 'tensor<64xbf16>'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A D(%D) : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64xbf16>) -> tensor<2x64x8xbf16>
  return
}

// -----

func.func @selective_scan_z_type(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xf32>, %z: tensor<2x64x8xf16>) {
  // expected-error @+1 {{expects 'z' to have the type of 'u' ('tensor<2x64x8xbf16>'), got 'tensor<2x64x8xf16>'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A z(%z) : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<2x64x8xf16>) -> tensor<2x64x8xbf16>
  return
}

// -----

func.func @selective_scan_delta_bias_shape(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>, %db: tensor<64x1xf32>) {
  // expected-error @+1 {{expects 'delta_bias' of rank 1 (D), got rank 2 (64, 1)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A delta_bias(%db) : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x1xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_initial_state_shape(%u: tensor<?x64x8xf32>, %A: tensor<64x16xf32>, %s0: tensor<?x64x32xf32>) {
  // expected-error @+1 {{expects 'initial_state' of shape (Bt, D, N) = (?, 64, 16), got (?, 64, 32) (dim 2, N, differs)}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A initial_state(%s0) : (tensor<?x64x8xf32>, tensor<?x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<?x64x32xf32>) -> tensor<?x64x8xf32>
  return
}

// -----

func.func @selective_scan_out_type(%u: tensor<2x64x8xf16>, %A: tensor<64x16xf32>) {
  // expected-error @+1 {{expects 'out' to have the type of 'u' ('tensor<2x64x8xf16>'), got 'tensor<2x64x8xf32>'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf16>, tensor<2x64x8xf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf32>
  return
}

// -----

func.func @selective_scan_last_state_shape(%u: tensor<2x64x8xf32>, %A: tensor<64x16xf32>) {
  // expected-error @+1 {{expects 'last_state' of shape (Bt, D, N) = (2, 64, 16), got (1, 64, 16) (dim 0, Bt, differs)}}
  %y, %s = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xf32>, tensor<2x64x8xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> (tensor<2x64x8xf32>, tensor<1x64x16xf32>)
  return
}

// -----

func.func @selective_scan_last_state_bf16(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xf32>) {
  // expected-error @+1 {{result #1 must be ranked tensor of 32-bit float values, but got 'tensor<2x64x16xbf16>'}}
  %y, %s = mamba.selective_scan %u, %u, %A, %A, %A : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>) -> (tensor<2x64x8xbf16>, tensor<2x64x16xbf16>)
  return
}

//===----------------------------------------------------------------------===//
// selective_state_update
//===----------------------------------------------------------------------===//

// -----

func.func @selective_state_update_state_rank(%s: tensor<64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'state' of rank 3 (S, D, N) for the Mamba-1 form or 4 (S, H, P, N) for the Mamba-2 head form, got rank 2}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<64x16xf32>)
  return
}

// -----

func.func @selective_state_update_dstate_dynamic(%s: tensor<2x64x?xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects d_state to be static}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x?xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x?xf32>)
  return
}

// -----

func.func @selective_state_update_dstate_too_large(%s: tensor<2x64x264xf32>, %x: tensor<2x64xf32>, %A: tensor<64x264xf32>, %B: tensor<2x264xf32>) {
  // expected-error @+1 {{expects d_state <= 256, got 264}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x264xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x264xf32>, tensor<2x264xf32>, tensor<2x264xf32>) -> (tensor<2x64xf32>, tensor<2x64x264xf32>)
  return
}

// -----

func.func @selective_state_update_dstate_multiple(%s: tensor<2x64x20xf32>, %x: tensor<2x64xf32>, %A: tensor<64x20xf32>, %B: tensor<2x20xf32>) {
  // expected-error @+1 {{expects d_state to be a multiple of 8 in [8, 256], got 20}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x20xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x20xf32>, tensor<2x20xf32>, tensor<2x20xf32>) -> (tensor<2x64xf32>, tensor<2x64x20xf32>)
  return
}

// -----

func.func @selective_state_update_dt_min_negative(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects dt_min >= 0, got -1.000000e-01}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B {dt_min = -0.1 : f64} : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_dt_min_above_max(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects dt_min <= dt_max, got dt_min = 1.000000e+00 and dt_max = 5.000000e-01}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B {dt_min = 1.0 : f64, dt_max = 0.5 : f64} : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_dt_max_nan(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects dt_min <= dt_max, got dt_min = 0.000000e+00 and dt_max = nan}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B {dt_max = 0x7FF8000000000000 : f64} : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_dt_min_f32(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{attribute 'dt_min' failed to satisfy constraint: 64-bit float attribute}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B {dt_min = 0.1 : f32} : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_x_rank(%s: tensor<2x64x16xf32>, %x: tensor<2x4x16xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'x' of rank 2 (Bt, D) in the Mamba-1 form, got rank 3}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x4x16xf32>, tensor<2x64x16xf32>)
  return
}

// -----

// A rank-0 x used to crash the verifier (it read x's dim 0 before its rank).
func.func @selective_state_update_m1_x_rank0(%s: tensor<2x64x16xf32>, %x: tensor<f32>, %dt: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'x' of rank 2 (Bt, D) in the Mamba-1 form, got rank 0}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x64x16xf32>, tensor<f32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<f32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_state_pool(%s: tensor<4x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'state' of shape (S, D, N) = (2, 64, 16), got (4, 64, 16) (dim 0, S, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<4x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<4x64x16xf32>)
  return
}

// -----

// Used to be accepted: the channels of x were never compared with the state's.
func.func @selective_state_update_m1_x_channels(%s: tensor<?x64x16xf32>, %x: tensor<?x32xf32>, %dt: tensor<?x64xf32>, %A: tensor<64x16xf32>, %B: tensor<?x16xf32>) {
  // expected-error @+1 {{expects 'x' of shape (Bt, D) = (?, 64), got (?, 32) (dim 1, D, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<?x64x16xf32>, tensor<?x32xf32>, tensor<?x64xf32>, tensor<64x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>) -> (tensor<?x32xf32>, tensor<?x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_dt_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %dt: tensor<2x1xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'dt' of shape (Bt, D) = (2, 64), got (2, 1) (dim 1, D, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x1xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_A_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'A' of rank 2 (D, N), got rank 1 (64)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_B_rank(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x1x16x1xf32>) {
  // expected-error @+1 {{expects 'B' of rank 3 (Bt, G, N) or 2 (Bt, N), got rank 4}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x1x16x1xf32>, tensor<2x1x16x1xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_B_state(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x8xf32>) {
  // expected-error @+1 {{expects 'B' of shape (Bt, N) = (2, 16), got (2, 8) (dim 1, N, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x8xf32>, tensor<2x8xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_B_groups_dynamic(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x?x16xf32>) {
  // expected-error @+1 {{expects ngroups to be static}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x?x16xf32>, tensor<2x?x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_B_groups_zero(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x0x16xf32>) {
  // expected-error @+1 {{expects ngroups >= 1, got 0}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x0x16xf32>, tensor<2x0x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_B_groups_divide(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x6x16xf32>) {
  // expected-error @+1 {{expects ngroups (6) to divide channels D (64)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x6x16xf32>, tensor<2x6x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_B_grouped_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<3x2x16xf32>) {
  // expected-error @+1 {{expects 'B' of shape (Bt, G, N) = (2, 2, 16), got (3, 2, 16) (dim 0, Bt, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<3x2x16xf32>, tensor<3x2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_B_type(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'B' element type 'bf16' (the element type of x), got 'f32'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x64xbf16>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x64xbf16>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_C_rank(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %C: tensor<16xf32>) {
  // expected-error @+1 {{expects 'C' of rank 3 (Bt, G, N) or 2 (Bt, N), got rank 1}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %C : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_C_type(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xf16>, %C: tensor<2x16xbf16>) {
  // expected-error @+1 {{expects 'C' element type 'f16' (the element type of x), got 'bf16'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %C : (tensor<2x64x16xf32>, tensor<2x64xf16>, tensor<2x64xf16>, tensor<64x16xf32>, tensor<2x16xf16>, tensor<2x16xbf16>) -> (tensor<2x64xf16>, tensor<2x64x16xf32>)
  return
}

// -----

// The kernel reads B and C with one group index.
func.func @selective_state_update_m1_C_groups(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x2x16xf32>, %C: tensor<2x4x16xf32>) {
  // expected-error @+1 {{expects 'C' to have the groups of 'B' (2), got 4}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %C : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x2x16xf32>, tensor<2x4x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

// An ungrouped (Bt, N) B has one group.
func.func @selective_state_update_m1_C_groups_ungrouped_B(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %C: tensor<2x2x16xf32>) {
  // expected-error @+1 {{expects 'C' to have the groups of 'B' (1), got 2}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %C : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x2x16xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_C_groups(%s: tensor<?x4x32x128xf32>, %x: tensor<?x4x32xbf16>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %B: tensor<?x1x128xbf16>, %C: tensor<?x2x128xbf16>) {
  // expected-error @+1 {{expects 'C' to have the groups of 'B' (1), got 2}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C : (tensor<?x4x32x128xf32>, tensor<?x4x32xbf16>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x1x128xbf16>, tensor<?x2x128xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x128xf32>)
  return
}

// -----

func.func @selective_state_update_m1_D_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %D: tensor<32xf32>) {
  // expected-error @+1 {{expects 'D' of shape (D) = (64), got (32) (dim 0, D, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B D(%D) : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>, tensor<32xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m1_dt_bias_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %db: tensor<64x1xf32>) {
  // expected-error @+1 {{expects 'dt_bias' of rank 1 (D), got rank 2 (64, 1)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B dt_bias(%db) : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>, tensor<64x1xf32>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_z_type(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %z: tensor<2x64xbf16>) {
  // expected-error @+1 {{expects 'z' to have the type of 'x' ('tensor<2x64xf32>'), got 'tensor<2x64xbf16>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B z(%z) : (tensor<2x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>, tensor<2x64xbf16>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_indices_shape(%s: tensor<8x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %idx: tensor<2x1xi32>) {
  // expected-error @+1 {{expects 'state_indices' of rank 1 (Bt), got rank 2 (2, 1)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B state_indices(%idx) : (tensor<8x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>, tensor<2x1xi32>) -> (tensor<2x64xf32>, tensor<8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_indices_i64(%s: tensor<8x64x16xf32>, %x: tensor<2x64xf32>, %A: tensor<64x16xf32>, %B: tensor<2x16xf32>, %idx: tensor<2xi64>) {
  // expected-error @+1 {{operand #6 must be ranked tensor of 32-bit signless integer values, but got 'tensor<2xi64>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B state_indices(%idx) : (tensor<8x64x16xf32>, tensor<2x64xf32>, tensor<2x64xf32>, tensor<64x16xf32>, tensor<2x16xf32>, tensor<2x16xf32>, tensor<2xi64>) -> (tensor<2x64xf32>, tensor<8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_A_f16(%s: tensor<2x64x16xf32>, %x: tensor<2x64xf16>, %A: tensor<64x16xf16>, %B: tensor<2x16xf16>) {
  // expected-error @+1 {{operand #3 must be ranked tensor of 32-bit float values, but got 'tensor<64x16xf16>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xf16>, tensor<2x64xf16>, tensor<64x16xf16>, tensor<2x16xf16>, tensor<2x16xf16>) -> (tensor<2x64xf16>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_out_type(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xbf16>) {
  // expected-error @+1 {{expects 'out' to have the type of 'x' ('tensor<2x64xbf16>'), got 'tensor<2x64xf32>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x64xbf16>, tensor<64x16xf32>, tensor<2x16xbf16>, tensor<2x16xbf16>) -> (tensor<2x64xf32>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_new_state_type(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xbf16>) {
  // expected-error @+1 {{expects 'new_state' to have the type of 'state' ('tensor<2x64x16xf32>'), got 'tensor<2x64x16xbf16>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x64xbf16>, tensor<64x16xf32>, tensor<2x16xbf16>, tensor<2x16xbf16>) -> (tensor<2x64xbf16>, tensor<2x64x16xbf16>)
  return
}

// -----

func.func @selective_state_update_m2_x_rank(%s: tensor<2x8x64x16xf32>, %x: tensor<2x512xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects 'x' of rank 3 (Bt, H, P) in the Mamba-2 head form, got rank 2}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x8x64x16xf32>, tensor<2x512xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x512xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_heads_dynamic(%s: tensor<2x?x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects nheads to be static (kernels are specialised on it), got '?'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x?x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x8x64xf32>, tensor<2x?x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_headdim_dynamic(%s: tensor<2x8x?x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects headdim to be static (kernels are specialised on it), got '?'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x8x?x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x?x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_headdim_value(%s: tensor<2x8x48x16xf32>, %x: tensor<2x8x48xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects headdim in {32, 64, 128}, got 48}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x8x48x16xf32>, tensor<2x8x48xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x8x48xf32>, tensor<2x8x48x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_state_pool(%s: tensor<4x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects 'state' of shape (S, H, P, N) = (2, 8, 64, 16), got (4, 8, 64, 16) (dim 0, S, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<4x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x8x64xf32>, tensor<4x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_x_shape(%s: tensor<2x8x64x16xf32>, %x: tensor<2x4x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects 'x' of shape (Bt, H, P) = (2, 8, 64), got (2, 4, 64) (dim 1, H, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x8x64x16xf32>, tensor<2x4x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x4x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_dt_shape(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects 'dt' of rank 2 (Bt, H), got rank 3 (2, 8, 64)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %x, %A, %B, %B : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_A_shape(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8x64x16xf32>, %B: tensor<2x1x16xf32>) {
  // expected-error @+1 {{expects 'A' of rank 1 (H), got rank 3 (8, 64, 16)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8x64x16xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_B_rank(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'B' of rank 3 (Bt, G, N) in the Mamba-2 head form, got rank 2}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x16xf32>, tensor<2x16xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

// Used to be accepted: only B's rank was checked in the head form.
func.func @selective_state_update_m2_C_rank(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %C: tensor<2x16xf32>) {
  // expected-error @+1 {{expects 'C' of rank 3 (Bt, G, N) in the Mamba-2 head form, got rank 2}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x16xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_groups_divide(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x3x16xf32>) {
  // expected-error @+1 {{expects ngroups (3) to divide nheads (8)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x3x16xf32>, tensor<2x3x16xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_C_state(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %C: tensor<2x1x32xf32>) {
  // expected-error @+1 {{expects 'C' of shape (Bt, G, N) = (2, 1, 16), got (2, 1, 32) (dim 2, N, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x32xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

// Used to be rejected: a dangling `else` checked a valid (H, P) D against (H).
func.func @selective_state_update_m2_D_headdim(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %D: tensor<8x32xf32>) {
  // expected-error @+1 {{expects 'D' of shape (H, P) = (8, 64), got (8, 32) (dim 1, P, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>, tensor<8x32xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_D_heads(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %D: tensor<4xf32>) {
  // expected-error @+1 {{expects 'D' of shape (H) = (8), got (4) (dim 0, H, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>, tensor<4xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

// Used to be accepted: a dangling `else` skipped the check of a rank-3 D.
func.func @selective_state_update_m2_D_rank3(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %D: tensor<8x64x1xf32>) {
  // expected-error @+1 {{expects 'D' of rank 1 (H), got rank 3 (8, 64, 1)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B D(%D) : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>, tensor<8x64x1xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_dt_bias_shape(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %db: tensor<8x64xf32>) {
  // expected-error @+1 {{expects 'dt_bias' of rank 1 (H), got rank 2 (8, 64)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B dt_bias(%db) : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>, tensor<8x64xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_m2_z_type(%s: tensor<2x8x64x16xf32>, %x: tensor<2x8x64xf32>, %dt: tensor<2x8xf32>, %A: tensor<8xf32>, %B: tensor<2x1x16xf32>, %z: tensor<2x8x32xf32>) {
  // expected-error @+1 {{expects 'z' to have the type of 'x' ('tensor<2x8x64xf32>'), got 'tensor<2x8x32xf32>'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B z(%z) : (tensor<2x8x64x16xf32>, tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<8xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>, tensor<2x8x32xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_dt_proj_head_form(%s: tensor<2x4x32x16xf32>, %x: tensor<2x4x32xbf16>, %dt: tensor<2x4xbf16>, %A: tensor<4xf32>, %B: tensor<2x1x16xbf16>, %w: tensor<4x8xbf16>) {
  // expected-error @+1 {{expects 'dt_proj' only in the Mamba-1 form (state of rank 3), got the head form (the kernel computes one dt per channel)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B dt_proj(%w) : (tensor<2x4x32x16xf32>, tensor<2x4x32xbf16>, tensor<2x4xbf16>, tensor<4xf32>, tensor<2x1x16xbf16>, tensor<2x1x16xbf16>, tensor<4x8xbf16>) -> (tensor<2x4x32xbf16>, tensor<2x4x32x16xf32>)
  return
}

// -----

func.func @selective_state_update_dt_proj_rank(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %dt: tensor<2x4xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xbf16>, %w: tensor<64xbf16>) {
  // expected-error @+1 {{expects 'dt_proj' of rank 2 (D, R), got rank 1}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B dt_proj(%w) : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x4xbf16>, tensor<64x16xf32>, tensor<2x16xbf16>, tensor<2x16xbf16>, tensor<64xbf16>) -> (tensor<2x64xbf16>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_dt_proj_dynamic_rank(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %dt: tensor<2x4xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xbf16>, %w: tensor<64x?xbf16>) {
  // expected-error @+1 {{expects dt_rank (dt_proj dim 1) to be static (kernels are specialised on it), got '?'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B dt_proj(%w) : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x4xbf16>, tensor<64x16xf32>, tensor<2x16xbf16>, tensor<2x16xbf16>, tensor<64x?xbf16>) -> (tensor<2x64xbf16>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_dt_proj_channels(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %dt: tensor<2x4xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xbf16>, %w: tensor<32x4xbf16>) {
  // expected-error @+1 {{expects 'dt_proj' of shape (D, R) = (64, 4), got (32, 4) (dim 0, D, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B dt_proj(%w) : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x4xbf16>, tensor<64x16xf32>, tensor<2x16xbf16>, tensor<2x16xbf16>, tensor<32x4xbf16>) -> (tensor<2x64xbf16>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_dt_proj_dt_shape(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %dt: tensor<2x64xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xbf16>, %w: tensor<64x4xbf16>) {
  // expected-error @+1 {{expects 'dt' of shape (Bt, R) = (2, 4), got (2, 64) (dim 1, R, differs)}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B dt_proj(%w) : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x64xbf16>, tensor<64x16xf32>, tensor<2x16xbf16>, tensor<2x16xbf16>, tensor<64x4xbf16>) -> (tensor<2x64xbf16>, tensor<2x64x16xf32>)
  return
}

// -----

func.func @selective_state_update_dt_proj_type(%s: tensor<2x64x16xf32>, %x: tensor<2x64xbf16>, %dt: tensor<2x4xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x16xbf16>, %w: tensor<64x4xf32>) {
  // expected-error @+1 {{expects 'dt_proj' element type 'bf16' (the element type of dt, as in the linear it replaces), got 'f32'}}
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %B dt_proj(%w) : (tensor<2x64x16xf32>, tensor<2x64xbf16>, tensor<2x4xbf16>, tensor<64x16xf32>, tensor<2x16xbf16>, tensor<2x16xbf16>, tensor<64x4xf32>) -> (tensor<2x64xbf16>, tensor<2x64x16xf32>)
  return
}

//===----------------------------------------------------------------------===//
// ssd
//===----------------------------------------------------------------------===//

// -----

func.func @ssd_x_rank(%x: tensor<2x16x512xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects 'x' of rank 4 (Bt, L, H, P), got rank 3}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x512xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x512xf32>
  return
}

// -----

func.func @ssd_heads_dynamic(%x: tensor<2x16x?x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects nheads to be static (kernels are specialised on it), got '?'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x?x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x?x64xf32>
  return
}

// -----

func.func @ssd_headdim_dynamic(%x: tensor<2x16x8x?xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects headdim to be static (kernels are specialised on it), got '?'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x?xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x?xf32>
  return
}

// -----

func.func @ssd_headdim_value(%x: tensor<2x16x8x256xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects headdim in {32, 64, 128}, got 256}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x256xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x256xf32>
  return
}

// -----

func.func @ssd_dt_shape(%x: tensor<2x?x8x64xf32>, %dt: tensor<2x?x4xf32>, %A: tensor<8xf32>, %B: tensor<2x?x1x16xf32>) {
  // expected-error @+1 {{expects 'dt' of shape (Bt, L, H) = (2, ?, 8), got (2, ?, 4) (dim 2, H, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x?x8x64xf32>, tensor<2x?x4xf32>, tensor<8xf32>, tensor<2x?x1x16xf32>, tensor<2x?x1x16xf32>) -> tensor<2x?x8x64xf32>
  return
}

// -----

func.func @ssd_A_shape(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<16xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects 'A' of shape (H) = (8), got (16) (dim 0, H, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<16xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_A_bf16(%x: tensor<2x16x8x64xbf16>, %dt: tensor<2x16x8xbf16>, %A: tensor<8xbf16>, %B: tensor<2x16x1x16xbf16>) {
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit float values, but got 'tensor<8xbf16>'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xbf16>, tensor<2x16x8xbf16>, tensor<8xbf16>, tensor<2x16x1x16xbf16>, tensor<2x16x1x16xbf16>) -> tensor<2x16x8x64xbf16>
  return
}

// -----

func.func @ssd_B_rank(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x16xf32>) {
  // expected-error @+1 {{expects 'B' of rank 4 (Bt, L, G, N), got rank 3}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x16xf32>, tensor<2x16x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_groups_dynamic(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x?x16xf32>) {
  // expected-error @+1 {{expects ngroups to be static}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x?x16xf32>, tensor<2x16x?x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_groups_zero(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x0x16xf32>) {
  // expected-error @+1 {{expects ngroups >= 1, got 0}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x0x16xf32>, tensor<2x16x0x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_groups_divide(%x: tensor<2x16x24x64xf32>, %dt: tensor<2x16x24xf32>, %A: tensor<24xf32>, %B: tensor<2x16x5x16xf32>) {
  // expected-error @+1 {{expects ngroups (5) to divide nheads (24)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x24x64xf32>, tensor<2x16x24xf32>, tensor<24xf32>, tensor<2x16x5x16xf32>, tensor<2x16x5x16xf32>) -> tensor<2x16x24x64xf32>
  return
}

// -----

func.func @ssd_dstate_dynamic(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x?xf32>) {
  // expected-error @+1 {{expects d_state to be static}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x?xf32>, tensor<2x16x1x?xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_dstate_too_large(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x512xf32>) {
  // expected-error @+1 {{expects d_state <= 256, got 512}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x512xf32>, tensor<2x16x1x512xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_dstate_multiple(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x4xf32>) {
  // expected-error @+1 {{expects d_state to be a multiple of 8 in [8, 256], got 4}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x4xf32>, tensor<2x16x1x4xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_B_length(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x32x1x16xf32>) {
  // expected-error @+1 {{expects 'B' of shape (Bt, L, G, N) = (2, 16, 1, 16), got (2, 32, 1, 16) (dim 1, L, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x32x1x16xf32>, tensor<2x32x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_B_type(%x: tensor<2x16x8x64xbf16>, %dt: tensor<2x16x8xbf16>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects 'B' element type 'bf16' (the element type of x), got 'f32'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xbf16>, tensor<2x16x8xbf16>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xbf16>
  return
}

// -----

func.func @ssd_C_type(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %C: tensor<2x16x2x16xf32>) {
  // expected-error @+1 {{expects 'C' to have the type of 'B' ('tensor<2x16x1x16xf32>'), got 'tensor<2x16x2x16xf32>'}}
  %y = mamba.ssd %x, %dt, %A, %B, %C : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x2x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

// Used to be rejected: a dangling `else` checked a valid (H, P) D against (H).
func.func @ssd_D_headdim(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %D: tensor<8x128xf32>) {
  // expected-error @+1 {{expects 'D' of shape (H, P) = (8, 64), got (8, 128) (dim 1, P, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B D(%D) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<8x128xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_D_heads(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %D: tensor<64xf32>) {
  // expected-error @+1 {{expects 'D' of shape (H) = (8), got (64) (dim 0, H, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B D(%D) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<64xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

// Used to be accepted: a dangling `else` skipped the check of a rank-0 D.
func.func @ssd_D_rank0(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %D: tensor<f32>) {
  // expected-error @+1 {{expects 'D' of rank 1 (H), got rank 0 ()}}
  %y = mamba.ssd %x, %dt, %A, %B, %B D(%D) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<f32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_z_type(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %z: tensor<2x?x8x64xf32>) {
  // expected-error @+1 {{expects 'z' to have the type of 'x' ('tensor<2x16x8x64xf32>'), got 'tensor<2x?x8x64xf32>'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B z(%z) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<2x?x8x64xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_dt_bias_shape(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %db: tensor<9xf32>) {
  // expected-error @+1 {{expects 'dt_bias' of shape (H) = (8), got (9) (dim 0, H, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B dt_bias(%db) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<9xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_initial_states_shape(%x: tensor<?x?x8x64xf32>, %dt: tensor<?x?x8xf32>, %A: tensor<8xf32>, %B: tensor<?x?x1x16xf32>, %s0: tensor<?x8x16x64xf32>) {
  // expected-error @+1 {{expects 'initial_states' of shape (Bt, H, P, N) = (?, 8, 64, 16), got (?, 8, 16, 64) (dim 2, P, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B initial_states(%s0) : (tensor<?x?x8x64xf32>, tensor<?x?x8xf32>, tensor<8xf32>, tensor<?x?x1x16xf32>, tensor<?x?x1x16xf32>, tensor<?x8x16x64xf32>) -> tensor<?x?x8x64xf32>
  return
}

// -----

func.func @ssd_initial_states_bf16(%x: tensor<?x?x8x64xbf16>, %dt: tensor<?x?x8xbf16>, %A: tensor<8xf32>, %B: tensor<?x?x1x16xbf16>, %s0: tensor<?x8x64x16xbf16>) {
  // expected-error @+1 {{operand #5 must be ranked tensor of 32-bit float values, but got 'tensor<?x8x64x16xbf16>'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B initial_states(%s0) : (tensor<?x?x8x64xbf16>, tensor<?x?x8xbf16>, tensor<8xf32>, tensor<?x?x1x16xbf16>, tensor<?x?x1x16xbf16>, tensor<?x8x64x16xbf16>) -> tensor<?x?x8x64xbf16>
  return
}

// -----

func.func @ssd_seq_idx_shape(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %seq: tensor<1x16xi32>) {
  // expected-error @+1 {{expects 'seq_idx' of shape (Bt, L) = (2, 16), got (1, 16) (dim 0, Bt, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B seq_idx(%seq) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<1x16xi32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_chunk_not_power_of_two(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects chunk_size to be a power of two in [16, 1024], got 100}}
  %y = mamba.ssd %x, %dt, %A, %B, %B {chunk_size = 100 : i64} : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_chunk_too_small(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects chunk_size to be a power of two in [16, 1024], got 8}}
  %y = mamba.ssd %x, %dt, %A, %B, %B {chunk_size = 8 : i64} : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_chunk_too_large(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects chunk_size to be a power of two in [16, 1024], got 2048}}
  %y = mamba.ssd %x, %dt, %A, %B, %B {chunk_size = 2048 : i64} : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_chunk_negative(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects chunk_size to be a power of two in [16, 1024], got -256}}
  %y = mamba.ssd %x, %dt, %A, %B, %B {chunk_size = -256 : i64} : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_dt_min_negative(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects dt_min >= 0, got -1.000000e+00}}
  %y = mamba.ssd %x, %dt, %A, %B, %B {dt_min = -1.0 : f64} : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_dt_min_above_max(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects dt_min <= dt_max, got dt_min = 2.000000e-01 and dt_max = 1.000000e-01}}
  %y = mamba.ssd %x, %dt, %A, %B, %B {dt_min = 0.2 : f64, dt_max = 0.1 : f64} : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}

// -----

func.func @ssd_out_type(%x: tensor<2x16x8x64xf16>, %dt: tensor<2x16x8xf16>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf16>) {
  // expected-error @+1 {{expects 'out' to have the type of 'x' ('tensor<2x16x8x64xf16>'), got 'tensor<2x16x8x64xbf16>'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf16>, tensor<2x16x8xf16>, tensor<8xf32>, tensor<2x16x1x16xf16>, tensor<2x16x1x16xf16>) -> tensor<2x16x8x64xbf16>
  return
}

// -----

func.func @ssd_final_states_shape(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects 'final_states' of shape (Bt, H, P, N) = (2, 8, 64, 16), got (2, 8, 64, 32) (dim 3, N, differs)}}
  %y, %fs = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> (tensor<2x16x8x64xf32>, tensor<2x8x64x32xf32>)
  return
}

// -----

func.func @ssd_final_states_bf16(%x: tensor<2x16x8x64xbf16>, %dt: tensor<2x16x8xbf16>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xbf16>) {
  // expected-error @+1 {{result #1 must be ranked tensor of 32-bit float values, but got 'tensor<2x8x64x16xbf16>'}}
  %y, %fs = mamba.ssd %x, %dt, %A, %B, %B : (tensor<2x16x8x64xbf16>, tensor<2x16x8xbf16>, tensor<8xf32>, tensor<2x16x1x16xbf16>, tensor<2x16x1x16xbf16>) -> (tensor<2x16x8x64xbf16>, tensor<2x8x64x16xbf16>)
  return
}

//===----------------------------------------------------------------------===//
// rms_norm
//===----------------------------------------------------------------------===//

// -----

func.func @rms_norm_x_rank0(%x: tensor<f32>, %w: tensor<1xf32>) {
  // expected-error @+1 {{expects 'x' of rank >= 1, got rank 0}}
  %y = mamba.rms_norm %x, %w : (tensor<f32>, tensor<1xf32>) -> tensor<f32>
  return
}

// -----

func.func @rms_norm_weight_rank(%x: tensor<4x768xf32>, %w: tensor<1x768xf32>) {
  // expected-error @+1 {{expects 'weight' of rank 1 (N), got rank 2 (1, 768)}}
  %y = mamba.rms_norm %x, %w : (tensor<4x768xf32>, tensor<1x768xf32>) -> tensor<4x768xf32>
  return
}

// -----

func.func @rms_norm_weight_shape(%x: tensor<?x?x768xbf16>, %w: tensor<1024xbf16>) {
  // expected-error @+1 {{expects 'weight' of shape (N) = (768), got (1024) (dim 0, N, differs)}}
  %y = mamba.rms_norm %x, %w : (tensor<?x?x768xbf16>, tensor<1024xbf16>) -> tensor<?x?x768xbf16>
  return
}

// -----

func.func @rms_norm_eps_zero(%x: tensor<4x768xf32>, %w: tensor<768xf32>) {
  // expected-error @+1 {{expects eps > 0, got 0.000000e+00}}
  %y = mamba.rms_norm %x, %w {eps = 0.0 : f64} : (tensor<4x768xf32>, tensor<768xf32>) -> tensor<4x768xf32>
  return
}

// -----

func.func @rms_norm_eps_negative(%x: tensor<4x768xf32>, %w: tensor<768xf32>) {
  // expected-error @+1 {{expects eps > 0, got -1.000000e-05}}
  %y = mamba.rms_norm %x, %w {eps = -1.0e-5 : f64} : (tensor<4x768xf32>, tensor<768xf32>) -> tensor<4x768xf32>
  return
}

// -----

func.func @rms_norm_eps_integer(%x: tensor<4x768xf32>, %w: tensor<768xf32>) {
  // expected-error @+1 {{attribute 'eps' failed to satisfy constraint: 64-bit float attribute}}
  %y = mamba.rms_norm %x, %w {eps = 1 : i64} : (tensor<4x768xf32>, tensor<768xf32>) -> tensor<4x768xf32>
  return
}

// -----

func.func @rms_norm_residual_shape(%x: tensor<4x768xbf16>, %w: tensor<768xbf16>, %r: tensor<2x768xf32>) {
  // expected-error @+1 {{expects 'residual' of shape (x, x) = (4, 768), got (2, 768) (dim 0, x, differs)}}
  %y = mamba.rms_norm %x, %w residual(%r) : (tensor<4x768xbf16>, tensor<768xbf16>, tensor<2x768xf32>) -> tensor<4x768xbf16>
  return
}

// -----

func.func @rms_norm_y_type(%x: tensor<4x768xbf16>, %w: tensor<768xbf16>) {
  // expected-error @+1 {{expects 'y' to have the type of 'x' ('tensor<4x768xbf16>'), got 'tensor<4x768xf32>'}}
  %y = mamba.rms_norm %x, %w : (tensor<4x768xbf16>, tensor<768xbf16>) -> tensor<4x768xf32>
  return
}

// -----

func.func @rms_norm_residual_out_shape(%x: tensor<4x768xbf16>, %w: tensor<768xbf16>) {
  // expected-error @+1 {{expects 'residual_out' of rank 2 (x, x), got rank 1 (768)}}
  %y, %r = mamba.rms_norm %x, %w : (tensor<4x768xbf16>, tensor<768xbf16>) -> (tensor<4x768xbf16>, tensor<768xf32>)
  return
}

// -----

func.func @rms_norm_residual_out_type(%x: tensor<4x768xbf16>, %w: tensor<768xbf16>, %r: tensor<4x768xf32>) {
  // expected-error @+1 {{expects 'residual_out' to have the type of 'residual' ('tensor<4x768xf32>'), got 'tensor<4x768xbf16>'}}
  %y, %r1 = mamba.rms_norm %x, %w residual(%r) : (tensor<4x768xbf16>, tensor<768xbf16>, tensor<4x768xf32>) -> (tensor<4x768xbf16>, tensor<4x768xbf16>)
  return
}

//===----------------------------------------------------------------------===//
// gated_rms_norm
//===----------------------------------------------------------------------===//

// -----

func.func @gated_rms_norm_x_rank0(%x: tensor<bf16>, %w: tensor<1xbf16>) {
  // expected-error @+1 {{expects 'x' of rank >= 1, got rank 0}}
  %y = mamba.gated_rms_norm %x, %w : (tensor<bf16>, tensor<1xbf16>) -> tensor<bf16>
  return
}

// -----

func.func @gated_rms_norm_weight_shape(%x: tensor<?x1536xbf16>, %w: tensor<768xbf16>) {
  // expected-error @+1 {{expects 'weight' of shape (N) = (1536), got (768) (dim 0, N, differs)}}
  %y = mamba.gated_rms_norm %x, %w : (tensor<?x1536xbf16>, tensor<768xbf16>) -> tensor<?x1536xbf16>
  return
}

// -----

func.func @gated_rms_norm_eps(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>) {
  // expected-error @+1 {{expects eps > 0, got 0.000000e+00}}
  %y = mamba.gated_rms_norm %x, %w {eps = 0.0 : f64} : (tensor<?x1536xbf16>, tensor<1536xbf16>) -> tensor<?x1536xbf16>
  return
}

// -----

func.func @gated_rms_norm_z_type(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>, %z: tensor<?x1536xf32>) {
  // expected-error @+1 {{expects 'z' to have the type of 'x' ('tensor<?x1536xbf16>'), got 'tensor<?x1536xf32>'}}
  %y = mamba.gated_rms_norm %x, %w z(%z) : (tensor<?x1536xbf16>, tensor<1536xbf16>, tensor<?x1536xf32>) -> tensor<?x1536xbf16>
  return
}

// -----

func.func @gated_rms_norm_group_size_negative(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>) {
  // expected-error @+1 {{expects group_size >= 0 (0 means the whole row), got -1}}
  %y = mamba.gated_rms_norm %x, %w {group_size = -1 : i64} : (tensor<?x1536xbf16>, tensor<1536xbf16>) -> tensor<?x1536xbf16>
  return
}

// -----

func.func @gated_rms_norm_group_size_divide(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>) {
  // expected-error @+1 {{expects group_size (1000) to divide the row length (1536)}}
  %y = mamba.gated_rms_norm %x, %w {group_size = 1000 : i64} : (tensor<?x1536xbf16>, tensor<1536xbf16>) -> tensor<?x1536xbf16>
  return
}

// -----

func.func @gated_rms_norm_norm_before_gate_type(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>) {
  // expected-error @+1 {{attribute 'norm_before_gate' failed to satisfy constraint: bool attribute}}
  %y = mamba.gated_rms_norm %x, %w {norm_before_gate = 1 : i64} : (tensor<?x1536xbf16>, tensor<1536xbf16>) -> tensor<?x1536xbf16>
  return
}

// -----

func.func @gated_rms_norm_y_type(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>) {
  // expected-error @+1 {{expects 'y' to have the type of 'x' ('tensor<?x1536xbf16>'), got 'tensor<4x1536xbf16>'}}
  %y = mamba.gated_rms_norm %x, %w : (tensor<?x1536xbf16>, tensor<1536xbf16>) -> tensor<4x1536xbf16>
  return
}

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

// -----

func.func @linear_x_rank0(%x: tensor<f32>, %w: tensor<4x1xf32>) {
  // expected-error @+1 {{expects 'x' of rank >= 1 (..., K), got rank 0}}
  %y = mamba.linear %x, %w : (tensor<f32>, tensor<4x1xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<?x768xf32>, %w: tensor<768xf32>) {
  // expected-error @+1 {{expects 'weight' of rank 2 (M, K), got rank 1}}
  %y = mamba.linear %x, %w : (tensor<?x768xf32>, tensor<768xf32>) -> tensor<?x768xf32>
  return
}

// -----

// A weight given as (K, M) instead of PyTorch's (M, K).
func.func @linear_weight_transposed(%x: tensor<?x768xf32>, %w: tensor<768x3072xf32>) {
  // expected-error @+1 {{expects 'weight' of shape (M, K) = (768, 768), got (768, 3072) (dim 1, K, differs)}}
  %y = mamba.linear %x, %w : (tensor<?x768xf32>, tensor<768x3072xf32>) -> tensor<?x768xf32>
  return
}

// -----

func.func @linear_weight_type(%x: tensor<?x768xbf16>, %w: tensor<3072x768xf32>) {
  // expected-error @+1 {{expects 'weight' element type 'bf16' (the element type of x), got 'f32'}}
  %y = mamba.linear %x, %w : (tensor<?x768xbf16>, tensor<3072x768xf32>) -> tensor<?x3072xbf16>
  return
}

// -----

func.func @linear_bias_shape(%x: tensor<?x768xbf16>, %w: tensor<3072x768xbf16>, %b: tensor<768xbf16>) {
  // expected-error @+1 {{expects 'bias' of shape (M) = (3072), got (768) (dim 0, M, differs)}}
  %y = mamba.linear %x, %w bias(%b) : (tensor<?x768xbf16>, tensor<3072x768xbf16>, tensor<768xbf16>) -> tensor<?x3072xbf16>
  return
}

// -----

func.func @linear_y_rank(%x: tensor<?x?x768xbf16>, %w: tensor<3072x768xbf16>) {
  // expected-error @+1 {{expects 'y' of rank 3 (x, x, M), got rank 2 (?, 3072)}}
  %y = mamba.linear %x, %w : (tensor<?x?x768xbf16>, tensor<3072x768xbf16>) -> tensor<?x3072xbf16>
  return
}

// -----

func.func @linear_y_batch(%x: tensor<4x768xbf16>, %w: tensor<3072x768xbf16>) {
  // expected-error @+1 {{expects 'y' of shape (x, M) = (4, 3072), got (8, 3072) (dim 0, x, differs)}}
  %y = mamba.linear %x, %w : (tensor<4x768xbf16>, tensor<3072x768xbf16>) -> tensor<8x3072xbf16>
  return
}

// -----

func.func @linear_y_features(%x: tensor<4x768xbf16>, %w: tensor<3072x768xbf16>) {
  // expected-error @+1 {{expects 'y' of shape (x, M) = (4, 3072), got (4, 768) (dim 1, M, differs)}}
  %y = mamba.linear %x, %w : (tensor<4x768xbf16>, tensor<3072x768xbf16>) -> tensor<4x768xbf16>
  return
}

// -----

func.func @linear_y_type(%x: tensor<4x768xbf16>, %w: tensor<3072x768xbf16>) {
  // expected-error @+1 {{expects 'y' element type 'bf16' (the element type of x), got 'f32'}}
  %y = mamba.linear %x, %w : (tensor<4x768xbf16>, tensor<3072x768xbf16>) -> tensor<4x3072xf32>
  return
}

// -----

func.func @linear_residual_type(%x: tensor<4x768xbf16>, %w: tensor<3072x768xbf16>, %r: tensor<4x3072xf32>) {
  // expected-error @+1 {{expects 'residual' to have the type of 'y' ('tensor<4x3072xbf16>'), got 'tensor<4x3072xf32>'}}
  %y = mamba.linear %x, %w residual(%r) : (tensor<4x768xbf16>, tensor<3072x768xbf16>, tensor<4x3072xf32>) -> tensor<4x3072xbf16>
  return
}

//===----------------------------------------------------------------------===//
// argmax
//===----------------------------------------------------------------------===//

// -----

func.func @argmax_ids_shape(%l: tensor<4x50280xf16>) {
  // expected-error @+1 {{expects 'ids' of shape (x) = (4), got (5) (dim 0, x, differs)}}
  %i = mamba.argmax %l : (tensor<4x50280xf16>) -> tensor<5xi32>
  return
}

// -----

func.func @argmax_ids_rank(%l: tensor<?x50280xf16>) {
  // expected-error @+1 {{expects 'ids' of rank 1 (x), got rank 2 (?, 50280)}}
  %i = mamba.argmax %l : (tensor<?x50280xf16>) -> tensor<?x50280xi32>
  return
}

// -----

func.func @argmax_ids_type(%l: tensor<?x8xf16>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 32-bit signless integer values}}
  %i = mamba.argmax %l : (tensor<?x8xf16>) -> tensor<?xi64>
  return
}

// -----

func.func @argmax_scalar(%l: tensor<f16>) {
  // expected-error @+1 {{expects x of rank >= 1 (..., V)}}
  %i = mamba.argmax %l : (tensor<f16>) -> tensor<i32>
  return
}

//===----------------------------------------------------------------------===//
// embedding
//===----------------------------------------------------------------------===//

// -----

func.func @embedding_table_rank(%ids: tensor<?x?xi32>, %t: tensor<50280xbf16>) {
  // expected-error @+1 {{expects 'table' of rank 2 (V, d), got rank 1}}
  %h = mamba.embedding %ids, %t : (tensor<?x?xi32>, tensor<50280xbf16>) -> tensor<?x?xbf16>
  return
}

// -----

func.func @embedding_out_rank(%ids: tensor<?x?xi32>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{expects 'out' of rank 3 (ids, ids, d), got rank 2 (?, 768)}}
  %h = mamba.embedding %ids, %t : (tensor<?x?xi32>, tensor<50280x768xbf16>) -> tensor<?x768xbf16>
  return
}

// -----

func.func @embedding_out_ids_shape(%ids: tensor<2x8xi64>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{expects 'out' of shape (ids, ids, d) = (2, 8, 768), got (2, 16, 768) (dim 1, ids, differs)}}
  %h = mamba.embedding %ids, %t : (tensor<2x8xi64>, tensor<50280x768xbf16>) -> tensor<2x16x768xbf16>
  return
}

// -----

func.func @embedding_out_dim(%ids: tensor<?xi32>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{expects 'out' of shape (ids, d) = (?, 768), got (?, 1024) (dim 1, d, differs)}}
  %h = mamba.embedding %ids, %t : (tensor<?xi32>, tensor<50280x768xbf16>) -> tensor<?x1024xbf16>
  return
}

// -----

func.func @embedding_out_type(%ids: tensor<?xi32>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{expects 'out' element type 'bf16' (the table's element type), got 'f32'}}
  %h = mamba.embedding %ids, %t : (tensor<?xi32>, tensor<50280x768xbf16>) -> tensor<?x768xf32>
  return
}

// -----

func.func @embedding_ids_float(%ids: tensor<?xf32>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<?xf32>'}}
  %h = mamba.embedding %ids, %t : (tensor<?xf32>, tensor<50280x768xbf16>) -> tensor<?x768xbf16>
  return
}

// -----

func.func @embedding_ids_i16(%ids: tensor<?xi16>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<?xi16>'}}
  %h = mamba.embedding %ids, %t : (tensor<?xi16>, tensor<50280x768xbf16>) -> tensor<?x768xbf16>
  return
}

// -----

func.func @embedding_table_int(%ids: tensor<?xi32>, %t: tensor<50280x768xi8>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<50280x768xi8>'}}
  %h = mamba.embedding %ids, %t : (tensor<?xi32>, tensor<50280x768xi8>) -> tensor<?x768xi8>
  return
}

//===----------------------------------------------------------------------===//
// silu, softplus
//===----------------------------------------------------------------------===//

// -----

func.func @silu_i8(%x: tensor<4xi8>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4xi8>'}}
  %y = mamba.silu %x : tensor<4xi8>
  return
}

// -----

func.func @silu_result_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %y = "mamba.silu"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @softplus_unranked(%x: tensor<*xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<*xf32>'}}
  %y = "mamba.softplus"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @softplus_result_type(%x: tensor<4xbf16>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %y = "mamba.softplus"(%x) : (tensor<4xbf16>) -> tensor<8xbf16>
  return
}

//===----------------------------------------------------------------------===//
// channel_mul, channel_add
//===----------------------------------------------------------------------===//

// -----

func.func @channel_mul_missing_dim(%x: tensor<4x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{requires attribute 'dim'}}
  %y = mamba.channel_mul %x, %w : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @channel_mul_dim_negative(%x: tensor<4x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{expects dim + rank(w) <= rank(x) with dim >= 0, got dim = -1, rank(w) = 1, rank(x) = 2}}
  %y = mamba.channel_mul %x, %w {dim = -1 : i64} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @channel_mul_dim_too_large(%x: tensor<?x24x64xf32>, %w: tensor<24x64xf32>) {
  // expected-error @+1 {{expects dim + rank(w) <= rank(x) with dim >= 0, got dim = 2, rank(w) = 2, rank(x) = 3}}
  %y = mamba.channel_mul %x, %w {dim = 2 : i64} : (tensor<?x24x64xf32>, tensor<24x64xf32>) -> tensor<?x24x64xf32>
  return
}

// -----

func.func @channel_mul_w_shape(%u: tensor<?x1536x?xbf16>, %w: tensor<768xf32>) {
  // expected-error @+1 {{expects 'w' of shape (x) = (1536), got (768) (dim 0, x, differs)}}
  %y = mamba.channel_mul %u, %w {dim = 1 : i64} : (tensor<?x1536x?xbf16>, tensor<768xf32>) -> tensor<?x1536x?xbf16>
  return
}

// -----

func.func @channel_mul_y_type(%u: tensor<?x1536x?xbf16>, %w: tensor<1536xf32>) {
  // expected-error @+1 {{expects 'y' to have the type of 'x' ('tensor<?x1536x?xbf16>'), got 'tensor<?x1536x?xf32>'}}
  %y = mamba.channel_mul %u, %w {dim = 1 : i64} : (tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xf32>
  return
}

// -----

func.func @channel_add_dim_too_large(%x: tensor<4x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{expects dim + rank(w) <= rank(x) with dim >= 0, got dim = 2, rank(w) = 1, rank(x) = 2}}
  %y = mamba.channel_add %x, %w {dim = 2 : i64} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @channel_add_w_shape(%x: tensor<?x?x24x64xf16>, %w: tensor<24x32xf16>) {
  // expected-error @+1 {{expects 'w' of shape (x, x) = (24, 64), got (24, 32) (dim 1, x, differs)}}
  %y = mamba.channel_add %x, %w {dim = 2 : i64} : (tensor<?x?x24x64xf16>, tensor<24x32xf16>) -> tensor<?x?x24x64xf16>
  return
}

// -----

func.func @channel_add_y_type(%x: tensor<4x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{expects 'y' to have the type of 'x' ('tensor<4x8xf32>'), got 'tensor<4x?xf32>'}}
  %y = mamba.channel_add %x, %w {dim = 1 : i64} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x?xf32>
  return
}

// -----

func.func @channel_add_dim_type(%x: tensor<4x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{attribute 'dim' failed to satisfy constraint: 64-bit signless integer attribute}}
  %y = mamba.channel_add %x, %w {dim = 1 : i32} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// #mamba.tile
//===----------------------------------------------------------------------===//

// -----

func.func @tile_duplicate(%x: tensor<4xf32>) {
  // expected-error @+1 {{tile parameter 'threads' is given twice}}
  %y = mamba.silu %x {tile = #mamba.tile<threads = 128, items = 4, threads = 64>} : tensor<4xf32>
  return
}

// -----

func.func @tile_negative(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects tile parameter 'items' >= 0, got -4}}
  %y = mamba.silu %x {tile = #mamba.tile<threads = 128, items = -4>} : tensor<4xf32>
  return
}

// -----

func.func @tile_missing_value(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected '='}}
  %y = mamba.silu %x {tile = #mamba.tile<threads 128>} : tensor<4xf32>
  return
}

// -----

func.func @tile_float_value(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected integer value}}
  %y = mamba.silu %x {tile = #mamba.tile<threads = 1.5>} : tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// #mamba.launch
//===----------------------------------------------------------------------===//

// -----

func.func @launch_grid_extents(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects 3 grid and 3 block extents, got 2 and 3}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1], block = [128, 1, 1], smem = 0, regs = 0>} : tensor<4xf32>
  return
}

// -----

func.func @launch_block_extents(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects 3 grid and 3 block extents, got 3 and 4}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [128, 1, 1, 1], smem = 0, regs = 0>} : tensor<4xf32>
  return
}

// -----

func.func @launch_grid_zero(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects grid extents >= 1 or '?', got 0}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [?, 0, 1], block = [128, 1, 1], smem = 0, regs = 0>} : tensor<4xf32>
  return
}

// -----

func.func @launch_block_zero(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects block extents >= 1, got 0}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [128, 0, 1], smem = 0, regs = 0>} : tensor<4xf32>
  return
}

// -----

// A block extent is never run-time; the message names the '?' as written.
func.func @launch_block_dynamic(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects block extents >= 1, got '?'}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [?, 1, 1], smem = 0, regs = 0>} : tensor<4xf32>
  return
}

// -----

func.func @launch_smem_negative(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects smem >= 0, got -1}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [128, 1, 1], smem = -1, regs = 0>} : tensor<4xf32>
  return
}

// -----

func.func @launch_regs_too_many(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects regs in [0, 255], got 256}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [128, 1, 1], smem = 0, regs = 256>} : tensor<4xf32>
  return
}

// -----

func.func @launch_regs_negative(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects regs in [0, 255], got -1}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [128, 1, 1], smem = 0, regs = -1>} : tensor<4xf32>
  return
}

// -----

func.func @launch_missing_field(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected ','}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [128, 1, 1], smem = 0>} : tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// The packed form (cu_seqlens)
//===----------------------------------------------------------------------===//

// -----

func.func @packed_conv_two_rows(%x: tensor<2x64x?xf32>, %w: tensor<64x4xf32>, %cu: tensor<3xi32>) {
  // expected-error @+1 {{expects Bt = 1 with 'cu_seqlens' (the sequences are packed in one row), got 2}}
  %y = mamba.causal_conv1d %x, %w cu_seqlens(%cu) : (tensor<2x64x?xf32>, tensor<64x4xf32>, tensor<3xi32>) -> tensor<2x64x?xf32>
  return
}

// -----

func.func @packed_conv_and_seq_idx(%x: tensor<1x64x?xf32>, %w: tensor<64x4xf32>, %seq: tensor<1x?xi32>, %cu: tensor<3xi32>) {
  // expected-error @+1 {{expects at most one of 'seq_idx' and 'cu_seqlens'}}
  %y = mamba.causal_conv1d %x, %w seq_idx(%seq) cu_seqlens(%cu) : (tensor<1x64x?xf32>, tensor<64x4xf32>, tensor<1x?xi32>, tensor<3xi32>) -> tensor<1x64x?xf32>
  return
}

// -----

func.func @packed_conv_state_rows(%x: tensor<1x64x?xf32>, %w: tensor<64x4xf32>, %s: tensor<1x64x3xf32>, %cu: tensor<3xi32>) {
  // expected-error @+1 {{expects 'initial_states' of shape (S, D, W-1) = (2, 64, 3), got (1, 64, 3) (dim 0, S, differs)}}
  %y = mamba.causal_conv1d %x, %w initial_states(%s) cu_seqlens(%cu) : (tensor<1x64x?xf32>, tensor<64x4xf32>, tensor<1x64x3xf32>, tensor<3xi32>) -> tensor<1x64x?xf32>
  return
}

// -----

func.func @packed_scan_rank(%u: tensor<1x64x?xf32>, %A: tensor<64x16xf32>, %cu: tensor<1x3xi32>) {
  // expected-error @+1 {{expects 'cu_seqlens' of rank 1 (S+1), got rank 2}}
  %y = mamba.selective_scan %u, %u, %A, %A, %A cu_seqlens(%cu) : (tensor<1x64x?xf32>, tensor<1x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<1x3xi32>) -> tensor<1x64x?xf32>
  return
}

// -----

func.func @packed_scan_last_state(%u: tensor<1x64x?xf32>, %A: tensor<64x16xf32>, %cu: tensor<4xi32>) {
  // expected-error @+1 {{expects 'last_state' of shape (S, D, N) = (3, 64, 16), got (1, 64, 16) (dim 0, S, differs)}}
  %y, %s = mamba.selective_scan %u, %u, %A, %A, %A cu_seqlens(%cu) : (tensor<1x64x?xf32>, tensor<1x64x?xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<4xi32>) -> (tensor<1x64x?xf32>, tensor<1x64x16xf32>)
  return
}

// -----

func.func @packed_ssd_empty(%x: tensor<1x?x8x64xf32>, %dt: tensor<1x?x8xf32>, %A: tensor<8xf32>, %bc: tensor<1x?x1x16xf32>, %cu: tensor<0xi32>) {
  // expected-error @+1 {{expects 'cu_seqlens' of at least 1 entry (S+1), got 0}}
  %y = mamba.ssd %x, %dt, %A, %bc, %bc cu_seqlens(%cu) : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x16xf32>, tensor<1x?x1x16xf32>, tensor<0xi32>) -> tensor<1x?x8x64xf32>
  return
}
