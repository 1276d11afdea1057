func.func @gated_rms_norm_group_size_divide(%x: tensor<?x1536xbf16>, %w: tensor<1536xbf16>) {
  // expected-error @+1 {{expects group_size (1000) to divide the row length (1536)}}
  %y = mamba.gated_rms_norm %x, %w {group_size = 1000 : i64} : (tensor<?x1536xbf16>, tensor<1536xbf16>) -> tensor<?x1536xbf16>
  return
}
