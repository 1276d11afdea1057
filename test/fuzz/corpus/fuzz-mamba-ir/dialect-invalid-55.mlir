func.func @selective_scan_const_B_type(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xf32>, %B: tensor<64x16xbf16>) {
  // expected-error @+1 {{expects 'B' element type 'f32' (a constant (rank 2) B/C is f32), got 'bf16'}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xf32>, tensor<64x16xbf16>, tensor<64x16xf32>) -> tensor<2x64x8xbf16>
  return
}
