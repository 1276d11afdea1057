func.func @packed_ssd_empty(%x: tensor<1x?x8x64xf32>, %dt: tensor<1x?x8xf32>, %A: tensor<8xf32>, %bc: tensor<1x?x1x16xf32>, %cu: tensor<0xi32>) {
  // expected-error @+1 {{expects 'cu_seqlens' of at least 1 entry (S+1), got 0}}
  %y = mamba.ssd %x, %dt, %A, %bc, %bc cu_seqlens(%cu) : (tensor<1x?x8x64xf32>, tensor<1x?x8xf32>, tensor<8xf32>, tensor<1x?x1x16xf32>, tensor<1x?x1x16xf32>, tensor<0xi32>) -> tensor<1x?x8x64xf32>
  return
}
