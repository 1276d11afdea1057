func.func @tile_duplicate(%x: tensor<4xf32>) {
  // expected-error @+1 {{tile parameter 'threads' is given twice}}
  %y = mamba.silu %x {tile = #mamba.tile<threads = 128, items = 4, threads = 64>} : tensor<4xf32>
  return
}
