// Negative: softplus(dt) under an existing dt_bias, and a gate whose silu
// has a second use.
func.func @ssd_no_fold(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>, %db: tensor<24xf32>, %z: tensor<1x?x24x64xbf16>) -> (tensor<1x?x24x64xbf16>, tensor<1x?x24x64xbf16>) {
  %sp = mamba.softplus %dt : tensor<1x?x24xbf16>
  %y = mamba.ssd %x, %sp, %A, %BC, %BC dt_bias(%db) : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<24xf32>) -> tensor<1x?x24x64xbf16>
  %g = mamba.silu %z : tensor<1x?x24x64xbf16>
  %m = arith.mulf %y, %g : tensor<1x?x24x64xbf16>
  return %m, %g : tensor<1x?x24x64xbf16>, tensor<1x?x24x64xbf16>
}
