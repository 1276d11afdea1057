func.func @items_3(%x: tensor<?x24xf32>) -> tensor<?x24xf32> {
  // expected-error @+1 {{'mamba.softplus' op tile parameter 'items' must be 1, 2, 4 or 8, got 3}}
  %y = mamba.softplus %x {tile = #mamba.tile<threads = 256, items = 3>} : tensor<?x24xf32>
  return %y : tensor<?x24xf32>
}
