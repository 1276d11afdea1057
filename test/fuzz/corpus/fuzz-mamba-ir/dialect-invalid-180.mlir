func.func @gated_rms_norm_z_type(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>, %z: tensor<?x1536xf32>) {
  // expected-error @+1 {{expects 'z' to have the type of 'x' ('tensor<?x1536xbf16>'), got 'tensor<?x1536xf32>'}}
  %y = mamba.gated_rms_norm %x, %w z(%z) : (tensor<?x1536xbf16>, tensor<1536xbf16>, tensor<?x1536xf32>) -> tensor<?x1536xbf16>
  return
}
