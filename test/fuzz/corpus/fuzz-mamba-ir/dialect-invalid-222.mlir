func.func @tile_missing_value(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected '='}}
  %y = mamba.silu %x {tile = #mamba.tile<threads 128>} : tensor<4xf32>
  return
}
