func.func @embedding_out_ids_shape(%ids: tensor<2x8xi64>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{expects 'out' of shape (ids, ids, d) = (2, 8, 768), got (2, 16, 768) (dim 1, ids, differs)}}
  %h = mamba.embedding %ids, %t : (tensor<2x8xi64>, tensor<50280x768xbf16>) -> tensor<2x16x768xbf16>
  return
}
