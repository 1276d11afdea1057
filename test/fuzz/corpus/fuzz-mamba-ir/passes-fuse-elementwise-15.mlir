// Negative: softplus(dt) + delta_bias is not softplus(dt + delta_bias); the
// scan adds its bias before its softplus, so the softplus must stay outside.
func.func @scan_dt_softplus_under_existing_bias(%u: tensor<2x64x?xbf16>, %dt: tensor<2x64x?xbf16>, %A: tensor<64x16xf32>, %BC: tensor<2x1x16x?xbf16>, %db: tensor<64xf32>) -> tensor<2x64x?xbf16> {
  %sp = mamba.softplus %dt : tensor<2x64x?xbf16>
  %y = mamba.selective_scan %u, %sp, %A, %BC, %BC delta_bias(%db) : (tensor<2x64x?xbf16>, tensor<2x64x?xbf16>, tensor<64x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>, tensor<64xf32>) -> tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}

//===----------------------------------------------------------------------===//
// Epilogue of selective_scan: skip term (D) and gate (z)
//===----------------------------------------------------------------------===//
