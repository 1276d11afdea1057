func.func @embedding_out_dim(%ids: tensor<?xi32>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{expects 'out' of shape (ids, d) = (?, 768), got (?, 1024) (dim 1, d, differs)}}
  %h = mamba.embedding %ids, %t : (tensor<?xi32>, tensor<50280x768xbf16>) -> tensor<?x1024xbf16>
  return
}
