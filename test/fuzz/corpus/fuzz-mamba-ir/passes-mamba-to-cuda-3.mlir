// A Mamba-2 mixer of mamba2-130m (H = 24, P = 64, N = 128) after its
// in_proj: channel-last conv + silu, the reshape to heads, the SSD with
// softplus(dt + dt_bias) and the D skip term, then the gated norm and
// out_proj. Reshapes stay tensor ops. The ssd's 48 blocks fit the SMs one
// each: 16 warps, and two stages (98816 bytes) fit every target.
func.func @mamba2_mixer(%x: tensor<1x?x1536xbf16>, %z: tensor<1x?x1536xbf16>, %conv_w: tensor<1536x4xbf16>, %dt_raw: tensor<1x?x24xbf16>, %dt_bias: tensor<24xf32>, %A: tensor<24xf32>, %B: tensor<1x?x1x128xbf16>, %C: tensor<1x?x1x128xbf16>, %D: tensor<24xf32>, %norm_w: tensor<1536xbf16>, %out_w: tensor<768x1536xbf16>) -> tensor<1x?x768xbf16> {
  %c1 = arith.constant 1 : index
  %conv = mamba.causal_conv1d %x, %conv_w {layout = #mamba<layout channel_last>} : (tensor<1x?x1536xbf16>, tensor<1536x4xbf16>) -> tensor<1x?x1536xbf16>
  %xc = mamba.silu %conv : tensor<1x?x1536xbf16>
  %l = tensor.dim %xc, %c1 : tensor<1x?x1536xbf16>
  %xh = tensor.expand_shape %xc [[0], [1], [2, 3]] output_shape [1, %l, 24, 64] : tensor<1x?x1536xbf16> into tensor<1x?x24x64xbf16>
  %dt_b = mamba.channel_add %dt_raw, %dt_bias {dim = 2 : i64} : (tensor<1x?x24xbf16>, tensor<24xf32>) -> tensor<1x?x24xbf16>
  %dt = mamba.softplus %dt_b : tensor<1x?x24xbf16>
  %y = mamba.ssd %xh, %dt, %A, %B, %C {chunk_size = 256 : i64} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  %dx = mamba.channel_mul %xh, %D {dim = 2 : i64} : (tensor<1x?x24x64xbf16>, tensor<24xf32>) -> tensor<1x?x24x64xbf16>
  %yd = arith.addf %y, %dx : tensor<1x?x24x64xbf16>
  %yf = tensor.collapse_shape %yd [[0], [1], [2, 3]] : tensor<1x?x24x64xbf16> into tensor<1x?x1536xbf16>
  %g = mamba.gated_rms_norm %yf, %norm_w z(%z) {group_size = 1536 : i64} : (tensor<1x?x1536xbf16>, tensor<1536xbf16>, tensor<1x?x1536xbf16>) -> tensor<1x?x1536xbf16>
  %o = mamba.linear %g, %out_w : (tensor<1x?x1536xbf16>, tensor<768x1536xbf16>) -> tensor<1x?x768xbf16>
  return %o : tensor<1x?x768xbf16>
}
