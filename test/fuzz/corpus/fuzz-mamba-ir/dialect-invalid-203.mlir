func.func @embedding_out_type(%ids: tensor<?xi32>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{expects 'out' element type 'bf16' (the table's element type), got 'f32'}}
  %h = mamba.embedding %ids, %t : (tensor<?xi32>, tensor<50280x768xbf16>) -> tensor<?x768xf32>
  return
}
