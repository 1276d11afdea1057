func.func @embedding_table_int(%ids: tensor<?xi32>, %t: tensor<50280x768xi8>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<50280x768xi8>'}}
  %h = mamba.embedding %ids, %t : (tensor<?xi32>, tensor<50280x768xi8>) -> tensor<?x768xi8>
  return
}

//===----------------------------------------------------------------------===//
// silu, softplus
//===----------------------------------------------------------------------===//
