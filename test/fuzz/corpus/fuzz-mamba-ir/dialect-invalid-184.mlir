func.func @gated_rms_norm_y_type(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>) {
  // expected-error @+1 {{expects 'y' to have the type of 'x' ('tensor<?x1536xbf16>'), got 'tensor<4x1536xbf16>'}}
  %y = mamba.gated_rms_norm %x, %w : (tensor<?x1536xbf16>, tensor<1536xbf16>) -> tensor<4x1536xbf16>
  return
}

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//
