// mamba.ssd (Mamba-2's chunked scan) in mamba2-130m's shape: 24 heads of 64,
// d_state 128, one group, chunks of 256, with D, the z gate and softplus(dt +
// dt_bias). Batch and length are dynamic.
//   mamba-opt examples/mlir/ssd.mlir --mamba-tile-ssd="tile=chunk=64,p_tile=64"

func.func @mamba2_ssd(%x: tensor<?x?x24x64xbf16>, %dt: tensor<?x?x24xbf16>, %A: tensor<24xf32>, %B: tensor<?x?x1x128xbf16>, %C: tensor<?x?x1x128xbf16>, %D: tensor<24xf32>, %z: tensor<?x?x24x64xbf16>, %dt_bias: tensor<24xf32>) -> (tensor<?x?x24x64xbf16>) {
  %r0 = mamba.ssd %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dt_bias) {chunk_size = 256 : i64, dt_softplus} : (tensor<?x?x24x64xbf16>, tensor<?x?x24xbf16>, tensor<24xf32>, tensor<?x?x1x128xbf16>, tensor<?x?x1x128xbf16>, tensor<24xf32>, tensor<?x?x24x64xbf16>, tensor<24xf32>) -> tensor<?x?x24x64xbf16>
  return %r0 : tensor<?x?x24x64xbf16>
}
