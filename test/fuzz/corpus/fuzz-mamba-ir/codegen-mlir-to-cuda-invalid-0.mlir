// The diagnostics of `mamba-translate --mlir-to-cuda`: a kernel op that did
// not go through the mamba-to-cuda pipeline, a plan that no longer holds,
// and an unknown arch. The emitter never changes IR, so it refuses rather
// than plans.

//--- unplanned.mlir

func.func @unplanned(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op is not planned for emission (missing 'kernel', 'tile' or 'launch'); run the mamba-to-cuda pipeline}}
  %y = mamba.silu %x : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}
