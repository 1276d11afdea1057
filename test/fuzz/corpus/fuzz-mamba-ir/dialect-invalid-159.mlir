func.func @ssd_chunk_too_small(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>) {
  // expected-error @+1 {{expects chunk_size to be a power of two in [16, 1024], got 8}}
  %y = mamba.ssd %x, %dt, %A, %B, %B {chunk_size = 8 : i64} : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>) -> tensor<2x16x8x64xf32>
  return
}
