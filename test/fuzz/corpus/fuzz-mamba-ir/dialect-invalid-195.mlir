func.func @argmax_ids_shape(%l: tensor<4x50280xf16>) {
  // expected-error @+1 {{expects 'ids' of shape (x) = (4), got (5) (dim 0, x, differs)}}
  %i = mamba.argmax %l : (tensor<4x50280xf16>) -> tensor<5xi32>
  return
}
