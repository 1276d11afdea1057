func.func @channel_mul_y_type(%u: tensor<?x1536x?xbf16>, %w: tensor<1536xf32>) {
  // expected-error @+1 {{expects 'y' to have the type of 'x' ('tensor<?x1536x?xbf16>'), got 'tensor<?x1536x?xf32>'}}
  %y = mamba.channel_mul %u, %w {dim = 1 : i64} : (tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xf32>
  return
}
