// The heuristic of mamba-tile-norms (passes/TileNorms.cpp): 8 columns per
// thread and as many threads as the row (or the group of gated_rms_norm)
// needs, rounded up to a warp; items doubles while that would exceed 1024
// threads. An existing tile is kept; the `tile` option replaces the
// parameters it names (OVR).

// mamba-130m: d_model 768, bf16, with the f32 residual: 96 threads.
// OVR-LABEL: func.func @mamba_130m_rms_norm
// OVR: tile = #mamba.tile<threads = 96, items = 16>
func.func @mamba_130m_rms_norm(%x: tensor<?x?x768xbf16>, %w: tensor<768xbf16>, %r: tensor<?x?x768xf32>) -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>) {
  %y, %r1 = mamba.rms_norm %x, %w residual(%r) : (tensor<?x?x768xbf16>, tensor<768xbf16>, tensor<?x?x768xf32>) -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>)
  return %y, %r1 : tensor<?x?x768xbf16>, tensor<?x?x768xf32>
}

// mamba-2.8b: d_model 2560, f32: 320 threads.
// OVR-LABEL: func.func @mamba_2_8b_rms_norm
// OVR: tile = #mamba.tile<threads = 320, items = 16>
func.func @mamba_2_8b_rms_norm(%x: tensor<?x2560xf32>, %w: tensor<2560xf32>) -> tensor<?x2560xf32> {
  %y = mamba.rms_norm %x, %w : (tensor<?x2560xf32>, tensor<2560xf32>) -> tensor<?x2560xf32>
  return %y : tensor<?x2560xf32>
}

// 100 columns: 13 threads, rounded up to one warp.
// OVR-LABEL: func.func @short_row
// OVR: tile = #mamba.tile<threads = 32, items = 16>
func.func @short_row(%x: tensor<4x100xf16>, %w: tensor<100xf16>) -> tensor<4x100xf16> {
  %y = mamba.rms_norm %x, %w : (tensor<4x100xf16>, tensor<100xf16>) -> tensor<4x100xf16>
  return %y : tensor<4x100xf16>
}

// 16384 columns need 2048 threads at 8 items: 16 items, 1024 threads.
// OVR-LABEL: func.func @long_row
// OVR: tile = #mamba.tile<threads = 1024, items = 16>
func.func @long_row(%x: tensor<?x16384xbf16>, %w: tensor<16384xbf16>) -> tensor<?x16384xbf16> {
  %y = mamba.rms_norm %x, %w : (tensor<?x16384xbf16>, tensor<16384xbf16>) -> tensor<?x16384xbf16>
  return %y : tensor<?x16384xbf16>
}

// mamba2-130m output norm: d_inner 1536, one group (group_size = d_inner).
// OVR-LABEL: func.func @mamba2_130m_gated
// OVR: tile = #mamba.tile<threads = 192, items = 16>
func.func @mamba2_130m_gated(%x: tensor<?x?x1536xbf16>, %w: tensor<1536xbf16>, %z: tensor<?x?x1536xbf16>) -> tensor<?x?x1536xbf16> {
  %y = mamba.gated_rms_norm %x, %w z(%z) {group_size = 1536 : i64} : (tensor<?x?x1536xbf16>, tensor<1536xbf16>, tensor<?x?x1536xbf16>) -> tensor<?x?x1536xbf16>
  return %y : tensor<?x?x1536xbf16>
}

// group_size 0 is the whole row: mamba2-2.7b d_inner 5120, 640 threads.
// OVR-LABEL: func.func @gated_whole_row
// OVR: tile = #mamba.tile<threads = 640, items = 16>
func.func @gated_whole_row(%x: tensor<?x5120xbf16>, %w: tensor<5120xbf16>, %z: tensor<?x5120xbf16>) -> tensor<?x5120xbf16> {
  %y = mamba.gated_rms_norm %x, %w z(%z) : (tensor<?x5120xbf16>, tensor<5120xbf16>, tensor<?x5120xbf16>) -> tensor<?x5120xbf16>
  return %y : tensor<?x5120xbf16>
}

// 8 groups of 640 columns: a block normalises one group, 80 threads rounded
// up to 96; no z, norm before gate.
// OVR-LABEL: func.func @gated_8_groups
// OVR: tile = #mamba.tile<threads = 96, items = 16>
func.func @gated_8_groups(%x: tensor<?x5120xf32>, %w: tensor<5120xf32>) -> tensor<?x5120xf32> {
  %y = mamba.gated_rms_norm %x, %w {group_size = 640 : i64, norm_before_gate = true} : (tensor<?x5120xf32>, tensor<5120xf32>) -> tensor<?x5120xf32>
  return %y : tensor<?x5120xf32>
}

// An existing tile is kept as written; the option overrides what it names.
// OVR-LABEL: func.func @existing_tile_kept
// OVR: tile = #mamba.tile<threads = 256, items = 16>
func.func @existing_tile_kept(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>) -> tensor<?x768xbf16> {
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 256, items = 4>} : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// Other kernel ops are left to their own tile pass.
func.func @other_ops_untouched(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  %y = mamba.silu %x : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// argmax streams its row: 16 bytes per thread per step (8 f16, 4 f32
// columns) and up to 1024 threads; a dynamic row (the runtime's greedy
// function) gets 1024, a short row the warps it needs.
// OVR-LABEL: func.func @greedy
// OVR: tile = #mamba.tile<threads = 1024, items = 16>
func.func @greedy(%l: tensor<?x?xf16>, %s: tensor<3x100xf32>) -> (tensor<?xi32>, tensor<3xi32>) {
  %a = mamba.argmax %l : (tensor<?x?xf16>) -> tensor<?xi32>
  %b = mamba.argmax %s : (tensor<3x100xf32>) -> tensor<3xi32>
  return %a, %b : tensor<?xi32>, tensor<3xi32>
}
