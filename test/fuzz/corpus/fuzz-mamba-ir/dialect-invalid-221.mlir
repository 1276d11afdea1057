func.func @tile_negative(%x: tensor<4xf32>) {
  // expected-error @+1 {{expects tile parameter 'items' >= 0, got -4}}
  %y = mamba.silu %x {tile = #mamba.tile<threads = 128, items = -4>} : tensor<4xf32>
  return
}
