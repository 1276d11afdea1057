func.func @ssd_seq_idx_shape(%x: tensor<2x16x8x64xf32>, %dt: tensor<2x16x8xf32>, %A: tensor<8xf32>, %B: tensor<2x16x1x16xf32>, %seq: tensor<1x16xi32>) {
  // expected-error @+1 {{expects 'seq_idx' of shape (Bt, L) = (2, 16), got (1, 16) (dim 0, Bt, differs)}}
  %y = mamba.ssd %x, %dt, %A, %B, %B seq_idx(%seq) : (tensor<2x16x8x64xf32>, tensor<2x16x8xf32>, tensor<8xf32>, tensor<2x16x1x16xf32>, tensor<2x16x1x16xf32>, tensor<1x16xi32>) -> tensor<2x16x8x64xf32>
  return
}
