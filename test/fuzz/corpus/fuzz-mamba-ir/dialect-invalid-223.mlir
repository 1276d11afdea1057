func.func @tile_float_value(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected integer value}}
  %y = mamba.silu %x {tile = #mamba.tile<threads = 1.5>} : tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// #mamba.launch
//===----------------------------------------------------------------------===//
