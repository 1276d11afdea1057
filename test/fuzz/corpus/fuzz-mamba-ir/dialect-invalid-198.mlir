func.func @argmax_scalar(%l: tensor<f16>) {
  // expected-error @+1 {{expects x of rank >= 1 (..., V)}}
  %i = mamba.argmax %l : (tensor<f16>) -> tensor<i32>
  return
}

//===----------------------------------------------------------------------===//
// embedding
//===----------------------------------------------------------------------===//
