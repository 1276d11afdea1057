func.func @embedding_ids_i16(%ids: tensor<?xi16>, %t: tensor<50280x768xbf16>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<?xi16>'}}
  %h = mamba.embedding %ids, %t : (tensor<?xi16>, tensor<50280x768xbf16>) -> tensor<?x768xbf16>
  return
}
