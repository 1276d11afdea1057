func.func @selective_scan_C_const_type(%u: tensor<2x64x8xf16>, %A: tensor<64x16xf32>, %C: tensor<64x16xf16>) {
  // expected-error @+1 {{expects 'C' element type 'f32' (a constant (rank 2) B/C is f32), got 'f16'}}
  %y = mamba.selective_scan %u, %u, %A, %A, %C : (tensor<2x64x8xf16>, tensor<2x64x8xf16>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf16>) -> tensor<2x64x8xf16>
  return
}
