// The heuristic of mamba-tile-causal-conv1d (passes/TileCausalConv1d.cpp):
// 256 positions x 4 channels for channel_first (loads along L), 64 x 64 for
// channel_last (loads along D), 128 threads either way. An existing tile is
// kept; the `tile` option replaces the parameters it names (OVR).

// mamba-130m: channel_first (Bt, D, L), D = 1536, W = 4, bf16, with bias.
// OVR-LABEL: func.func @mamba_130m
// OVR: tile = #mamba.tile<l_tile = 128, c_tile = 4, threads = 256>
func.func @mamba_130m(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>, %b: tensor<1536xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.causal_conv1d %x, %w bias(%b) : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>, tensor<1536xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// mamba-2.8b: D = 5120, f32.
// OVR-LABEL: func.func @mamba_2_8b_f32
// OVR: tile = #mamba.tile<l_tile = 128, c_tile = 4, threads = 256>
func.func @mamba_2_8b_f32(%x: tensor<1x5120x?xf32>, %w: tensor<5120x4xf32>, %b: tensor<5120xf32>) -> tensor<1x5120x?xf32> {
  %y = mamba.causal_conv1d %x, %w bias(%b) : (tensor<1x5120x?xf32>, tensor<5120x4xf32>, tensor<5120xf32>) -> tensor<1x5120x?xf32>
  return %y : tensor<1x5120x?xf32>
}

// Mamba-2: channel_last (Bt, L, D), D = 1792 (x, B and C of mamba2-130m),
// with states and seq_idx.
// OVR-LABEL: func.func @mamba2_channel_last
// OVR: tile = #mamba.tile<l_tile = 128, c_tile = 64, threads = 256>
func.func @mamba2_channel_last(%x: tensor<2x?x1792xbf16>, %w: tensor<1792x4xbf16>, %b: tensor<1792xbf16>, %s0: tensor<2x1792x3xbf16>, %seq: tensor<2x?xi32>) -> (tensor<2x?x1792xbf16>, tensor<2x1792x3xbf16>) {
  %y, %fs = mamba.causal_conv1d %x, %w bias(%b) initial_states(%s0) seq_idx(%seq) {layout = #mamba<layout channel_last>} : (tensor<2x?x1792xbf16>, tensor<1792x4xbf16>, tensor<1792xbf16>, tensor<2x1792x3xbf16>, tensor<2x?xi32>) -> (tensor<2x?x1792xbf16>, tensor<2x1792x3xbf16>)
  return %y, %fs : tensor<2x?x1792xbf16>, tensor<2x1792x3xbf16>
}

// W = 2 in f16 with an f32 weight.
// OVR-LABEL: func.func @width_2_f16
// OVR: tile = #mamba.tile<l_tile = 128, c_tile = 4, threads = 256>
func.func @width_2_f16(%x: tensor<?x64x?xf16>, %w: tensor<64x2xf32>) -> tensor<?x64x?xf16> {
  %y = mamba.causal_conv1d %x, %w : (tensor<?x64x?xf16>, tensor<64x2xf32>) -> tensor<?x64x?xf16>
  return %y : tensor<?x64x?xf16>
}

// The channel count comes from the weight when x's is dynamic.
// OVR-LABEL: func.func @channels_from_weight
// OVR: tile = #mamba.tile<l_tile = 128, c_tile = 4, threads = 256>
func.func @channels_from_weight(%x: tensor<?x?x?xbf16>, %w: tensor<768x4xbf16>) -> tensor<?x?x?xbf16> {
  %y = mamba.causal_conv1d %x, %w : (tensor<?x?x?xbf16>, tensor<768x4xbf16>) -> tensor<?x?x?xbf16>
  return %y : tensor<?x?x?xbf16>
}

// An existing tile is kept as written; the option overrides what it names.
// OVR-LABEL: func.func @existing_tile_kept
// OVR: tile = #mamba.tile<l_tile = 128, c_tile = 2, threads = 256>
func.func @existing_tile_kept(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 512, c_tile = 2, threads = 64>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// Other kernel ops are left to their own tile pass.
func.func @other_ops_untouched(%x: tensor<?x64xf16>, %s: tensor<?x64x4xf16>, %w: tensor<64x4xf16>) -> tensor<?x64xf16> {
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w : (tensor<?x64xf16>, tensor<?x64x4xf16>, tensor<64x4xf16>) -> (tensor<?x64xf16>, tensor<?x64x4xf16>)
  return %y : tensor<?x64xf16>
}
