func.func @silu_result_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %y = "mamba.silu"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return
}
