// The whole Mamba-1 scan written out: (scan + D * u) * silu(z) with
// softplus(dt + bias) becomes one op.
func.func @scan_full_epilogue(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %D: tensor<64xf32>, %z: tensor<2x64x?xbf16>, %db: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %a = mamba.channel_add %dt, %db {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %sp = mamba.softplus %a : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x64x?xbf16>
  %du = mamba.channel_mul %u, %D {dim = 1 : i64} : (tensor<2x64x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  %s = arith.addf %y, %du : tensor<2x64x?xbf16>
  %g = mamba.silu %z : tensor<2x64x?xbf16>
  %r = arith.mulf %s, %g : tensor<2x64x?xbf16>
  return %r : tensor<2x64x?xbf16>
}
