// RUN: mamba-opt %s --split-input-file --verify-diagnostics

// One case per rule of the mamba.conv_state_update verifier
// (dialect/MambaOps.cpp), the fused Mamba-2 decode step of
// mamba-fuse-decode. The valid op all cases start from: H = 4, P = 32,
// G = 2, N = 16, so Dc = 4 * 32 + 2 * 2 * 16 = 192 conv channels (x at 0,
// B at 128, C at 160), d_conv 4 and a conv state of K = 3.

func.func @x_rank(%x: tensor<?x192x1xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'x' of rank 2 (Bt, Dc), got rank 3}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192x1xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @weight_rank(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'conv_weight' of rank 2 (Dc, W), got rank 1}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @weight_width(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x5xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects d_conv (weight dim 1) in [2, 4], got 5}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x5xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

// Dc is known from none of x, conv_weight and conv_state.
func.func @dynamic_channels(%x: tensor<?x?xbf16>, %cs: tensor<?x?x3xbf16>, %w: tensor<?x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects the conv channel count Dc to be static (kernels are specialised on it), got '?'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x?xbf16>, tensor<?x?x3xbf16>, tensor<?x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x?x3xbf16>)
  return
}

// -----

func.func @weight_channels(%x: tensor<?x190xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'conv_weight' of shape (Dc, W) = (190, 4), got (192, 4) (dim 0, Dc, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x190xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @conv_state_rank(%x: tensor<?x192xbf16>, %cs: tensor<?x192xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'conv_state' of rank 3 (S, Dc, K), got rank 2}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192xbf16>)
  return
}

// -----

func.func @conv_state_dynamic_len(%x: tensor<?x192xbf16>, %cs: tensor<?x192x?xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects the conv state length K (conv_state dim 2) to be static (kernels are specialised on it), got '?'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x?xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x?xbf16>)
  return
}

// -----

// Without state_indices, state row b is batch row b.
func.func @conv_state_rows(%x: tensor<2x192xbf16>, %cs: tensor<3x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<2x4x32x16xf32>, %dt: tensor<2x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'conv_state' of shape (S, Dc, K) = (2, 192, 3), got (3, 192, 3) (dim 0, S, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<2x192xbf16>, tensor<3x192x3xbf16>, tensor<192x4xbf16>, tensor<2x4x32x16xf32>, tensor<2x4xbf16>, tensor<4xf32>) -> (tensor<2x4x32xbf16>, tensor<2x4x32x16xf32>, tensor<3x192x3xbf16>)
  return
}

// -----

func.func @conv_state_short(%x: tensor<?x192xbf16>, %cs: tensor<?x192x2xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects conv_state length K >= d_conv - 1 = 3, got 2}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x2xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x2xbf16>)
  return
}

// -----

func.func @conv_state_type(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'conv_state' element type 'bf16' (the element type of x), got 'f16'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xf16>)
  return
}

// -----

func.func @conv_bias_shape(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %conv_bias: tensor<190xbf16>) {
  // expected-error @+1 {{expects 'conv_bias' of shape (Dc) = (192), got (190) (dim 0, Dc, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A conv_bias(%conv_bias) {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>, tensor<190xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @conv_bias_type(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %conv_bias: tensor<192xf32>) {
  // expected-error @+1 {{expects 'conv_bias' element type 'bf16' (the element type of conv_weight), got 'f32'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A conv_bias(%conv_bias) {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>, tensor<192xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @state_rank(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x128x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'state' of rank 4 (S, H, P, N), got rank 3}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x128x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x128x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @dynamic_heads(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x?x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects nheads to be static (kernels are specialised on it), got '?'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x?x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x?x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @headdim(%x: tensor<?x256xbf16>, %cs: tensor<?x256x3xbf16>, %w: tensor<256x4xbf16>, %s: tensor<?x4x48x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects headdim in {32, 64, 128}, got 48}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 192 : i64, c_offset = 224 : i64, ngroups = 2 : i64} : (tensor<?x256xbf16>, tensor<?x256x3xbf16>, tensor<256x4xbf16>, tensor<?x4x48x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x48xbf16>, tensor<?x4x48x16xf32>, tensor<?x256x3xbf16>)
  return
}

// -----

func.func @dstate(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x12xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects d_state to be a multiple of 8 in [8, 256], got 12}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x12xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x12xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @dstate_large(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x512xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects d_state <= 256, got 512}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x512xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x512xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @state_rows(%x: tensor<2x192xbf16>, %cs: tensor<2x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<3x4x32x16xf32>, %dt: tensor<2x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'state' of shape (S, H, P, N) = (2, 4, 32, 16), got (3, 4, 32, 16) (dim 0, S, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<2x192xbf16>, tensor<2x192x3xbf16>, tensor<192x4xbf16>, tensor<3x4x32x16xf32>, tensor<2x4xbf16>, tensor<4xf32>) -> (tensor<2x4x32xbf16>, tensor<3x4x32x16xf32>, tensor<2x192x3xbf16>)
  return
}

// -----

func.func @ngroups_zero(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects ngroups >= 1, got 0}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 0 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @ngroups_divide(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects ngroups (3) to divide nheads (4)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 3 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @dt_shape(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x5xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'dt' of shape (Bt, H) = (?, 4), got (?, 5) (dim 1, H, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x5xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @A_shape(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<5xf32>) {
  // expected-error @+1 {{expects 'A' of shape (H) = (4), got (5) (dim 0, H, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<5xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

// A is f32 (ODS).
func.func @A_type(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xbf16>) {
  // expected-error @+1 {{operand #5 must be ranked tensor of 32-bit float values, but got 'tensor<4xbf16>'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @D_per_channel(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %D: tensor<4x16xf32>) {
  // expected-error @+1 {{expects 'D' of shape (H, P) = (4, 32), got (4, 16) (dim 1, P, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A D(%D) {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>, tensor<4x16xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @D_per_head(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %D: tensor<5xf32>) {
  // expected-error @+1 {{expects 'D' of shape (H) = (4), got (5) (dim 0, H, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A D(%D) {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>, tensor<5xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @z_shape(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %z: tensor<?x4x16xbf16>) {
  // expected-error @+1 {{expects 'z' of shape (Bt, H, P) = (?, 4, 32), got (?, 4, 16) (dim 2, P, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A z(%z) {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x4x16xbf16>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @z_type(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %z: tensor<?x4x32xf32>) {
  // expected-error @+1 {{expects 'z' element type 'bf16' (the element type of x), got 'f32'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A z(%z) {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>, tensor<?x4x32xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @dt_bias_shape(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>, %dt_bias: tensor<5xf32>) {
  // expected-error @+1 {{expects 'dt_bias' of shape (H) = (4), got (5) (dim 0, H, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A dt_bias(%dt_bias) {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>, tensor<5xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @state_indices_shape(%x: tensor<2x192xbf16>, %cs: tensor<8x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<8x4x32x16xf32>, %dt: tensor<2x4xbf16>, %A: tensor<4xf32>, %state_indices: tensor<3xi32>) {
  // expected-error @+1 {{expects 'state_indices' of shape (Bt) = (2), got (3) (dim 0, Bt, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A state_indices(%state_indices) {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<2x192xbf16>, tensor<8x192x3xbf16>, tensor<192x4xbf16>, tensor<8x4x32x16xf32>, tensor<2x4xbf16>, tensor<4xf32>, tensor<3xi32>) -> (tensor<2x4x32xbf16>, tensor<8x4x32x16xf32>, tensor<8x192x3xbf16>)
  return
}

// -----

func.func @dt_min_negative(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects dt_min >= 0, got -1}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64, dt_min = -1.0 : f64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @dt_limits_order(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects dt_min <= dt_max, got dt_min = 5.000000e-01 and dt_max = 2.500000e-01}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64, dt_min = 0.5 : f64, dt_max = 0.25 : f64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

// The x columns [100, 228) run past the 192 conv channels.
func.func @x_offset_range(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects x_offset in [0, Dc - nheads * headdim] = [0, 64] (the column range must lie in the 192 conv channels), got 100}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 100 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @b_offset_negative(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects b_offset in [0, Dc - ngroups * d_state] = [0, 160] (the column range must lie in the 192 conv channels), got -1}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = -1 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @c_offset_range(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects c_offset in [0, Dc - ngroups * d_state] = [0, 160] (the column range must lie in the 192 conv channels), got 161}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 161 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @columns_overlap(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects the column ranges of b_offset [128, 160) and c_offset [128, 160) not to overlap}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 128 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @x_overlaps_c(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects the column ranges of x_offset [32, 160) and c_offset [32, 64) not to overlap}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 32 : i64, b_offset = 0 : i64, c_offset = 32 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

// Channels 192 to 200 are no column of x, B or C: their conv state would never be updated.
func.func @columns_do_not_cover(%x: tensor<?x200xbf16>, %cs: tensor<?x200x3xbf16>, %w: tensor<200x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects the x, B and C column ranges to cover the Dc = 200 conv channels (each channel's conv state is updated once), got nheads * headdim + 2 * ngroups * d_state = 192}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x200xbf16>, tensor<?x200x3xbf16>, tensor<200x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x200x3xbf16>)
  return
}

// -----

// The column offsets are required.
func.func @missing_offset(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{requires attribute 'c_offset'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @out_shape(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'out' of shape (Bt, H, P) = (?, 4, 32), got (?, 4, 16) (dim 2, P, differs)}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x16xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @out_type(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'out' element type 'bf16' (the element type of x), got 'f32'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xf32>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @new_state_type(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'new_state' to have the type of 'state' ('tensor<?x4x32x16xf32>'), got 'tensor<?x4x32x16xbf16>'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xbf16>, tensor<?x192x3xbf16>)
  return
}

// -----

func.func @new_conv_state_type(%x: tensor<?x192xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'new_conv_state' to have the type of 'conv_state' ('tensor<?x192x3xbf16>'), got 'tensor<?x192x4xbf16>'}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x4xbf16>)
  return
}
