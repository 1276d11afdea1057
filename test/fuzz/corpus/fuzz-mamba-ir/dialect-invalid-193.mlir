func.func @linear_y_type(%x: tensor<4x768xbf16>, %w: tensor<3072x768xbf16>) {
  // expected-error @+1 {{expects 'y' element type 'bf16' (the element type of x), got 'f32'}}
  %y = mamba.linear %x, %w : (tensor<4x768xbf16>, tensor<3072x768xbf16>) -> tensor<4x3072xf32>
  return
}
