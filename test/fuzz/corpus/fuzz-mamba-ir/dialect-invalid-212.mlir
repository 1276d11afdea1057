func.func @channel_mul_dim_negative(%x: tensor<4x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{expects dim + rank(w) <= rank(x) with dim >= 0, got dim = -1, rank(w) = 1, rank(x) = 2}}
  %y = mamba.channel_mul %x, %w {dim = -1 : i64} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return
}
