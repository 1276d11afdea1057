func.func @selective_scan_rank3_B_type(%u: tensor<2x64x8xf16>, %A: tensor<64x16xf32>, %B: tensor<2x16x8xf32>) {
  // expected-error @+1 {{expects 'B' element type 'f16' (a per-token B/C has the element type of u), got 'f32'}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xf16>, tensor<2x64x8xf16>, tensor<64x16xf32>, tensor<2x16x8xf32>, tensor<64x16xf32>) -> tensor<2x64x8xf16>
  return
}
