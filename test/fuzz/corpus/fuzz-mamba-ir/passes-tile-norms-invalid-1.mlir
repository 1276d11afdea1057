func.func @dynamic_row_gated(%x: tensor<?x?xbf16>, %w: tensor<?xbf16>, %z: tensor<?x?xbf16>) -> tensor<?x?xbf16> {
  // expected-error @+1 {{'mamba.gated_rms_norm' op needs a static row length for tiling, got '?'}}
  %y = mamba.gated_rms_norm %x, %w z(%z) {group_size = 256 : i64} : (tensor<?x?xbf16>, tensor<?xbf16>, tensor<?x?xbf16>) -> tensor<?x?xbf16>
  return %y : tensor<?x?xbf16>
}
