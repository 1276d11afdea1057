func.func @softplus_result_type(%x: tensor<4xbf16>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %y = "mamba.softplus"(%x) : (tensor<4xbf16>) -> tensor<8xbf16>
  return
}

//===----------------------------------------------------------------------===//
// channel_mul, channel_add
//===----------------------------------------------------------------------===//
