func.func @channel_mul_dim_too_large(%x: tensor<?x24x64xf32>, %w: tensor<24x64xf32>) {
  // expected-error @+1 {{expects dim + rank(w) <= rank(x) with dim >= 0, got dim = 2, rank(w) = 2, rank(x) = 3}}
  %y = mamba.channel_mul %x, %w {dim = 2 : i64} : (tensor<?x24x64xf32>, tensor<24x64xf32>) -> tensor<?x24x64xf32>
  return
}
