func.func @embedding_out_rank(%ids: tensor<?x?xi32>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{expects 'out' of rank 3 (ids, ids, d), got rank 2 (?, 768)}}
  %h = mamba.embedding %ids, %t : (tensor<?x?xi32>, tensor<50280x768xbf16>) -> tensor<?x768xbf16>
  return
}
