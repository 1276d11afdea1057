func.func @channel_add_y_type(%x: tensor<4x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{expects 'y' to have the type of 'x' ('tensor<4x8xf32>'), got 'tensor<4x?xf32>'}}
  %y = mamba.channel_add %x, %w {dim = 1 : i64} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x?xf32>
  return
}
