// The fold keeps the layout and the final_states result; only `out` feeds
// the silu.
func.func @conv_silu_channel_last_with_states(%x: tensor<?x?x256xf32>, %w: tensor<256x4xf32>) -> (tensor<?x?x256xf32>, tensor<?x256x3xf32>) {
  %c, %fs = mamba.causal_conv1d %x, %w {layout = #mamba<layout channel_last>} : (tensor<?x?x256xf32>, tensor<256x4xf32>) -> (tensor<?x?x256xf32>, tensor<?x256x3xf32>)
  %y = mamba.silu %c : tensor<?x?x256xf32>
  return %y, %fs : tensor<?x?x256xf32>, tensor<?x256x3xf32>
}
