// mamba.linear is a cuBLAS call, never generated: the emitter prints one
// comment line for it, with its location, in program order among the
// kernels.

// A GEMM alone prints a library-call line and no kernel.
// LOC-LABEL: // ===== library call: mamba.linear at loc("layers.0.mixer.in_proj") -> cuBLAS GEMM, not generated
func.func @linear_alone(%x: tensor<?x?x768xbf16>, %w: tensor<3072x768xbf16>, %b: tensor<3072xbf16>) -> tensor<?x?x3072xbf16> {
  %y = mamba.linear %x, %w bias(%b) : (tensor<?x?x768xbf16>, tensor<3072x768xbf16>, tensor<3072xbf16>) -> tensor<?x?x3072xbf16> loc("layers.0.mixer.in_proj")
  return %y : tensor<?x?x3072xbf16>
}

// Library calls and kernels print in program order: the norm kernel, the
// in_proj call, the silu kernel, then the out_proj call with its residual
// epilogue.
// LOC: // ===== library call: mamba.linear at loc("{{.*}}linear.mlir":[[@LINE+3]]:8) -> cuBLAS GEMM, not generated
func.func @linear_between_kernels(%h: tensor<?x768xf32>, %nw: tensor<768xf32>, %wi: tensor<1536x768xf32>, %wo: tensor<768x1536xf32>) -> tensor<?x768xf32> {
  %n = mamba.rms_norm %h, %nw : (tensor<?x768xf32>, tensor<768xf32>) -> tensor<?x768xf32>
  %p = mamba.linear %n, %wi : (tensor<?x768xf32>, tensor<1536x768xf32>) -> tensor<?x1536xf32>
  %s = mamba.silu %p : tensor<?x1536xf32>
  %o = mamba.linear %s, %wo residual(%h) : (tensor<?x1536xf32>, tensor<768x1536xf32>, tensor<?x768xf32>) -> tensor<?x768xf32>
  return %o : tensor<?x768xf32>
}
