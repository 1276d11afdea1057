// mamba.rms_norm with the residual add fused in: y = rmsnorm(x + residual)
// for rows of 768 (the residual stream kept in f32 and returned).
//   mamba-opt examples/mlir/rms-norm.mlir --mamba-to-cuda

func.func @add_rms_norm(%x: tensor<?x768xbf16>, %weight: tensor<768xbf16>, %residual: tensor<?x768xf32>) -> (tensor<?x768xbf16>, tensor<?x768xf32>) {
  %r0, %r1 = mamba.rms_norm %x, %weight residual(%residual) : (tensor<?x768xbf16>, tensor<768xbf16>, tensor<?x768xf32>) -> (tensor<?x768xbf16>, tensor<?x768xf32>)
  return %r0, %r1 : tensor<?x768xbf16>, tensor<?x768xf32>
}
