func.func @embedding_ids_float(%ids: tensor<?xf32>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<?xf32>'}}
  %h = mamba.embedding %ids, %t : (tensor<?xf32>, tensor<50280x768xbf16>) -> tensor<?x768xbf16>
  return
}
