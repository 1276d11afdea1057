// mamba.linear is a library call: it gets `library`, no kernel name, and
// needs no plan. Ops of other dialects are left alone.
func.func @library_call(%x: tensor<?x768xf16>, %w: tensor<1536x768xf16>, %r: tensor<?x1536xf16>) -> tensor<?x1536xf16> {
  %y = mamba.linear %x, %w : (tensor<?x768xf16>, tensor<1536x768xf16>) -> tensor<?x1536xf16>
  %z = arith.addf %y, %r : tensor<?x1536xf16>
  return %z : tensor<?x1536xf16>
}
