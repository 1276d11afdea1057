func.func @linear_weight_type(%x: tensor<?x768xbf16>, %w: tensor<3072x768xf32>) {
  // expected-error @+1 {{expects 'weight' element type 'bf16' (the element type of x), got 'f32'}}
  %y = mamba.linear %x, %w : (tensor<?x768xbf16>, tensor<3072x768xf32>) -> tensor<?x3072xbf16>
  return
}
