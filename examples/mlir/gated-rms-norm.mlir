// mamba.gated_rms_norm: Mamba-2's norm of x * silu(z) over rows of 1536.
//   mamba-opt examples/mlir/gated-rms-norm.mlir --mamba-to-cuda

func.func @gated_norm(%x: tensor<?x1536xbf16>, %weight: tensor<1536xbf16>, %z: tensor<?x1536xbf16>) -> (tensor<?x1536xbf16>) {
  %r0 = mamba.gated_rms_norm %x, %weight z(%z) : (tensor<?x1536xbf16>, tensor<1536xbf16>, tensor<?x1536xbf16>) -> tensor<?x1536xbf16>
  return %r0 : tensor<?x1536xbf16>
}
