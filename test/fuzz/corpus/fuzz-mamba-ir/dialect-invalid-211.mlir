func.func @channel_mul_missing_dim(%x: tensor<4x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{requires attribute 'dim'}}
  %y = mamba.channel_mul %x, %w : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return
}
