func.func @channel_add_dim_type(%x: tensor<4x8xf32>, %w: tensor<8xf32>) {
  // expected-error @+1 {{attribute 'dim' failed to satisfy constraint: 64-bit signless integer attribute}}
  %y = mamba.channel_add %x, %w {dim = 1 : i32} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// #mamba.tile
//===----------------------------------------------------------------------===//
