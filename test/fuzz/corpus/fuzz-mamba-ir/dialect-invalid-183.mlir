func.func @gated_rms_norm_norm_before_gate_type(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>) {
  // expected-error @+1 {{attribute 'norm_before_gate' failed to satisfy constraint: bool attribute}}
  %y = mamba.gated_rms_norm %x, %w {norm_before_gate = 1 : i64} : (tensor<?x1536xbf16>, tensor<1536xbf16>) -> tensor<?x1536xbf16>
  return
}
