// The heuristic of mamba-tile-elementwise (passes/TileElementwise.cpp):
// embedding copies one row per block with 128 threads; silu, softplus,
// channel_mul and channel_add run a flat grid of 256 threads x 8 items. An
// existing tile is kept; the `tile` option replaces the parameters it names
// (OVR).

// mamba-130m embedding: vocab 50280, d_model 768, bf16, i32 ids.
// OVR-LABEL: func.func @embedding_130m
// OVR: tile = #mamba.tile<threads = 512, items = 8>
func.func @embedding_130m(%ids: tensor<?x?xi32>, %table: tensor<50280x768xbf16>) -> tensor<?x?x768xbf16> {
  %y = mamba.embedding %ids, %table : (tensor<?x?xi32>, tensor<50280x768xbf16>) -> tensor<?x?x768xbf16>
  return %y : tensor<?x?x768xbf16>
}

// i64 ids, f32 table.
// OVR-LABEL: func.func @embedding_i64_f32
// OVR: tile = #mamba.tile<threads = 512, items = 8>
func.func @embedding_i64_f32(%ids: tensor<?xi64>, %table: tensor<1000x2560xf32>) -> tensor<?x2560xf32> {
  %y = mamba.embedding %ids, %table : (tensor<?xi64>, tensor<1000x2560xf32>) -> tensor<?x2560xf32>
  return %y : tensor<?x2560xf32>
}

// silu over a (Bt, D, L) activation.
// OVR-LABEL: func.func @silu
// OVR: tile = #mamba.tile<threads = 512, items = 8>
func.func @silu(%x: tensor<?x1536x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.silu %x : tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// softplus of a (Bt, L, H) dt, f32.
// OVR-LABEL: func.func @softplus
// OVR: tile = #mamba.tile<threads = 512, items = 8>
func.func @softplus(%x: tensor<?x?x24xf32>) -> tensor<?x?x24xf32> {
  %y = mamba.softplus %x : tensor<?x?x24xf32>
  return %y : tensor<?x?x24xf32>
}

// channel_mul by the f32 D along the channels of (Bt, D, L).
// OVR-LABEL: func.func @channel_mul
// OVR: tile = #mamba.tile<threads = 512, items = 8>
func.func @channel_mul(%x: tensor<?x1536x?xbf16>, %w: tensor<1536xf32>) -> tensor<?x1536x?xbf16> {
  %y = mamba.channel_mul %x, %w {dim = 1 : i64} : (tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// channel_add of a per-head bias to (Bt, L, H).
// OVR-LABEL: func.func @channel_add
// OVR: tile = #mamba.tile<threads = 512, items = 8>
func.func @channel_add(%x: tensor<?x?x24xf16>, %w: tensor<24xf32>) -> tensor<?x?x24xf16> {
  %y = mamba.channel_add %x, %w {dim = 2 : i64} : (tensor<?x?x24xf16>, tensor<24xf32>) -> tensor<?x?x24xf16>
  return %y : tensor<?x?x24xf16>
}

// A rank-2 (H, P) vector over (Bt, L, H, P).
// OVR-LABEL: func.func @channel_mul_rank2
// OVR: tile = #mamba.tile<threads = 512, items = 8>
func.func @channel_mul_rank2(%x: tensor<?x?x24x64xbf16>, %w: tensor<24x64xbf16>) -> tensor<?x?x24x64xbf16> {
  %y = mamba.channel_mul %x, %w {dim = 2 : i64} : (tensor<?x?x24x64xbf16>, tensor<24x64xbf16>) -> tensor<?x?x24x64xbf16>
  return %y : tensor<?x?x24x64xbf16>
}

// An existing tile is kept as written; the option overrides what it names.
// OVR-LABEL: func.func @existing_tile_kept
// OVR: tile = #mamba.tile<threads = 512, items = 2>
func.func @existing_tile_kept(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  %y = mamba.silu %x {tile = #mamba.tile<threads = 64, items = 2>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// Other kernel ops (and ops without a kernel) are left alone.
func.func @other_ops_untouched(%x: tensor<?x768xbf16>, %w: tensor<768xbf16>, %wl: tensor<1536x768xbf16>) -> tensor<?x1536xbf16> {
  %y = mamba.rms_norm %x, %w : (tensor<?x768xbf16>, tensor<768xbf16>) -> tensor<?x768xbf16>
  %z = mamba.linear %y, %wl : (tensor<?x768xbf16>, tensor<1536x768xbf16>) -> tensor<?x1536xbf16>
  return %z : tensor<?x1536xbf16>
}
