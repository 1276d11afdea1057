func.func @selective_scan_rank4_B_type(%u: tensor<2x64x8xbf16>, %A: tensor<64x16xf32>, %B: tensor<2x2x16x8xf16>) {
  // expected-error @+1 {{expects 'B' element type 'bf16' (a per-token B/C has the element type of u), got 'f16'}}
  %y = mamba.selective_scan %u, %u, %A, %B, %A : (tensor<2x64x8xbf16>, tensor<2x64x8xbf16>, tensor<64x16xf32>, tensor<2x2x16x8xf16>, tensor<64x16xf32>) -> tensor<2x64x8xbf16>
  return
}
