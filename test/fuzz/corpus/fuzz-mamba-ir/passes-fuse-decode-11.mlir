// The Mamba-1 decode step: dt = dt_proj(x_proj(x)[:, :R]) with R = 4, the
// bias of dt_proj already the update's dt_bias.
func.func @mamba1_dt_proj(%s: tensor<?x64x16xf32>, %x: tensor<?x64xbf16>, %xdbl: tensor<?x36xbf16>, %w: tensor<64x4xbf16>, %A: tensor<64x16xf32>, %D: tensor<64xf32>, %z: tensor<?x64xbf16>, %db: tensor<64xf32>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>) {
  %c0 = arith.constant 0 : index
  %bt = tensor.dim %xdbl, %c0 : tensor<?x36xbf16>
  %lo = tensor.extract_slice %xdbl[0, 0] [%bt, 4] [1, 1] : tensor<?x36xbf16> to tensor<?x4xbf16>
  %B = tensor.extract_slice %xdbl[0, 4] [%bt, 16] [1, 1] : tensor<?x36xbf16> to tensor<?x16xbf16>
  %C = tensor.extract_slice %xdbl[0, 20] [%bt, 16] [1, 1] : tensor<?x36xbf16> to tensor<?x16xbf16>
  %dt = mamba.linear %lo, %w : (tensor<?x4xbf16>, tensor<64x4xbf16>) -> tensor<?x64xbf16>
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%db) {dt_softplus} : (tensor<?x64x16xf32>, tensor<?x64xbf16>, tensor<?x64xbf16>, tensor<64x16xf32>, tensor<?x16xbf16>, tensor<?x16xbf16>, tensor<64xf32>, tensor<?x64xbf16>, tensor<64xf32>) -> (tensor<?x64xbf16>, tensor<?x64x16xf32>)
  return %y, %s1 : tensor<?x64xbf16>, tensor<?x64x16xf32>
}
