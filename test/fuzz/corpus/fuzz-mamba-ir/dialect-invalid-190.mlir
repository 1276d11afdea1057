func.func @linear_y_rank(%x: tensor<?x?x768xbf16>, %w: tensor<3072x768xbf16>) {
  // expected-error @+1 {{expects 'y' of rank 3 (x, x, M), got rank 2 (?, 3072)}}
  %y = mamba.linear %x, %w : (tensor<?x?x768xbf16>, tensor<3072x768xbf16>) -> tensor<?x3072xbf16>
  return
}
