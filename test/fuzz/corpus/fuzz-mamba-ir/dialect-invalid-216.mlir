func.func @channel_add_dim_too_large(%x: tensor<4x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{expects dim + rank(w) <= rank(x) with dim >= 0, got dim = 2, rank(w) = 1, rank(x) = 2}}
  %y = mamba.channel_add %x, %w {dim = 2 : i64} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return
}
