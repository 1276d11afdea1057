// The Mamba-1 decode step: conv update + silu, the state update (its
// softplus is a flag the frontend sets) and the gate inside it.
func.func @mamba1_decode(%x: tensor<?x1536xbf16>, %conv_state: tensor<?x1536x4xbf16>, %conv_w: tensor<1536x4xbf16>, %ssm_state: tensor<?x1536x16xf32>, %dt: tensor<?x1536xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16xbf16>, %C: tensor<?x1x16xbf16>, %D: tensor<1536xf32>, %z: tensor<?x1536xbf16>, %dt_bias: tensor<1536xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<?x1536x16xf32>) {
  %c, %cs = mamba.causal_conv1d_update %x, %conv_state, %conv_w : (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<1536x4xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x4xbf16>)
  %xc = mamba.silu %c : tensor<?x1536xbf16>
  %y, %ss = mamba.selective_state_update %ssm_state, %xc, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dt_bias) {dt_softplus} : (tensor<?x1536x16xf32>, tensor<?x1536xbf16>, tensor<?x1536xbf16>, tensor<1536x16xf32>, tensor<?x1x16xbf16>, tensor<?x1x16xbf16>, tensor<1536xf32>, tensor<?x1536xbf16>, tensor<1536xbf16>) -> (tensor<?x1536xbf16>, tensor<?x1536x16xf32>)
  return %y, %cs, %ss : tensor<?x1536xbf16>, tensor<?x1536x4xbf16>, tensor<?x1536x16xf32>
}
