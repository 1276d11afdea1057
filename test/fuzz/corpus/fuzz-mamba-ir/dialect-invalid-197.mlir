func.func @argmax_ids_type(%l: tensor<?x8xf16>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 32-bit signless integer values}}
  %i = mamba.argmax %l : (tensor<?x8xf16>) -> tensor<?xi64>
  return
}
