func.func @argmax_ids_rank(%l: tensor<?x50280xf16>) {
  // expected-error @+1 {{expects 'ids' of rank 1 (x), got rank 2 (?, 50280)}}
  %i = mamba.argmax %l : (tensor<?x50280xf16>) -> tensor<?x50280xi32>
  return
}
