func.func @ssd_full(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>, %D: tensor<24xf32>, %z: tensor<1x?x24x64xbf16>, %db: tensor<24xf32>) -> (tensor<1x?x24x64xbf16>, tensor<1x24x64x128xf32>) {
  %a = mamba.channel_add %dt, %db {dim = 2 : i64} : (tensor<1x?x24xbf16>, tensor<24xf32>) -> tensor<1x?x24xbf16>
  %sp = mamba.softplus %a : tensor<1x?x24xbf16>
  %y, %fs = mamba.ssd %x, %sp, %A, %BC, %BC : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> (tensor<1x?x24x64xbf16>, tensor<1x24x64x128xf32>)
  %dx = mamba.channel_mul %x, %D {dim = 2 : i64} : (tensor<1x?x24x64xbf16>, tensor<24xf32>) -> tensor<1x?x24x64xbf16>
  %s = arith.addf %y, %dx : tensor<1x?x24x64xbf16>
  %g = mamba.silu %z : tensor<1x?x24x64xbf16>
  %r = arith.mulf %s, %g : tensor<1x?x24x64xbf16>
  return %r, %fs : tensor<1x?x24x64xbf16>, tensor<1x24x64x128xf32>
}
