// A given tile does not make a dynamic row length acceptable.
func.func @dynamic_row_given_tile(%x: tensor<?x?xbf16>, %w: tensor<?xbf16>) -> tensor<?x?xbf16> {
  // expected-error @+1 {{needs a static row length for tiling, got '?'}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 96, items = 8>} : (tensor<?x?xbf16>, tensor<?xbf16>) -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}
