func.func @linear_residual_type(%x: tensor<4x768xbf16>, %w: tensor<3072x768xbf16>, %r: tensor<4x3072xf32>) {
  // expected-error @+1 {{expects 'residual' to have the type of 'y' ('tensor<4x3072xbf16>'), got 'tensor<4x3072xf32>'}}
  %y = mamba.linear %x, %w residual(%r) : (tensor<4x768xbf16>, tensor<3072x768xbf16>, tensor<4x3072xf32>) -> tensor<4x3072xbf16>
  return
}

//===----------------------------------------------------------------------===//
// argmax
//===----------------------------------------------------------------------===//
