func.func @embedding_table_rank(%ids: tensor<?x?xi32>, %t: tensor<50280xbf16>) {
  // expected-error @+1 {{expects 'table' of rank 2 (V, d), got rank 1}}
  %h = mamba.embedding %ids, %t : (tensor<?x?xi32>, tensor<50280xbf16>) -> tensor<?x?xbf16>
  return
}
