// The heuristic of mamba-tile-causal-conv1d-update
// (passes/TileCausalConv1dUpdate.cpp): one thread per (batch row, channel),
// 128 threads per block, whatever the shape. An existing tile is kept; the
// `tile` option replaces the parameters it names (OVR).

// mamba-130m decode: D = 1536, K = W = 4, bf16, with bias.
// OVR-LABEL: func.func @mamba_130m
// OVR: tile = #mamba.tile<threads = 64>
func.func @mamba_130m(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>, %b: tensor<1536xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w bias(%b) : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>, tensor<1536xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

// Mamba-2 decode: D = 1792 with a state pool of 16 rows (state_indices).
// OVR-LABEL: func.func @mamba2_state_indices
// OVR: tile = #mamba.tile<threads = 64>
func.func @mamba2_state_indices(%x: tensor<?x1792xbf16>, %s: tensor<16x1792x4xbf16>, %w: tensor<1792x4xbf16>, %idx: tensor<?xi32>) -> (tensor<?x1792xbf16>, tensor<16x1792x4xbf16>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w state_indices(%idx) : (tensor<?x1792xbf16>, tensor<16x1792x4xbf16>, tensor<1792x4xbf16>, tensor<?xi32>) -> (tensor<?x1792xbf16>, tensor<16x1792x4xbf16>)
  return %y, %s1 : tensor<?x1792xbf16>, tensor<16x1792x4xbf16>
}

// K = W - 1 = 3, f32.
// OVR-LABEL: func.func @state_len_3_f32
// OVR: tile = #mamba.tile<threads = 64>
func.func @state_len_3_f32(%x: tensor<4x5120xf32>, %s: tensor<4x5120x3xf32>, %w: tensor<5120x4xf32>) -> (tensor<4x5120xf32>, tensor<4x5120x3xf32>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<4x5120xf32>, tensor<4x5120x3xf32>, tensor<5120x4xf32>) -> (tensor<4x5120xf32>, tensor<4x5120x3xf32>)
  return %y, %s1 : tensor<4x5120xf32>, tensor<4x5120x3xf32>
}

// The channel count comes from the weight when x's is dynamic.
// OVR-LABEL: func.func @channels_from_weight
// OVR: tile = #mamba.tile<threads = 64>
func.func @channels_from_weight(%x: tensor<?x?xf16>, %s: tensor<?x?x4xf16>, %w: tensor<768x4xf16>) -> (tensor<?x?xf16>, tensor<?x?x4xf16>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x?xf16>, tensor<?x?x4xf16>, tensor<768x4xf16>) -> (tensor<?x?xf16>, tensor<?x?x4xf16>)
  return %y, %s1 : tensor<?x?xf16>, tensor<?x?x4xf16>
}

// An existing tile is kept as written; the option overrides it.
// OVR-LABEL: func.func @existing_tile_kept
// OVR: tile = #mamba.tile<threads = 64>
func.func @existing_tile_kept(%x: tensor<?x1536xbf16>, %s: tensor<?x1536x4xbf16>, %w: tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>) {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w {tile = #mamba.tile<threads = 256>} : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  return %y, %s1 : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>
}

// Other kernel ops are left to their own tile pass.
func.func @other_ops_untouched(%x: tensor<2x64x?xbf16>, %w: tensor<64x4xbf16>) -> tensor<2x64x?xbf16> {
  %y = mamba.causal_conv1d %x, %w : (tensor<2x64x?xbf16>, tensor<64x4xbf16>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}
