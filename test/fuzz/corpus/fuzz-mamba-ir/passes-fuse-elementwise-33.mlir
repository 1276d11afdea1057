// A per-channel (H, P) skip weight is a valid D of ssd.
func.func @ssd_skip_per_channel(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>, %D: tensor<24x64xf32>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  %dx = mamba.channel_mul %x, %D {dim = 2 : i64} : (tensor<1x?x24x64xbf16>, tensor<24x64xf32>) -> tensor<1x?x24x64xbf16>
  %s = arith.addf %y, %dx : tensor<1x?x24x64xbf16>
  return %s : tensor<1x?x24x64xbf16>
}
