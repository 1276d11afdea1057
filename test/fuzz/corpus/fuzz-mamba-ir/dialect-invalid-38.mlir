func.func @causal_conv1d_update_indices_shape(%x: tensor<2x64xf16>, %s: tensor<8x64x4xf16>, %w: tensor<64x4xf16>, %idx: tensor<3xi32>) {
  // expected-error @+1 {{expects 'state_indices' of shape (Bt) = (2), got (3) (dim 0, Bt, differs)}}
  %y, %s1 = mamba.causal_conv1d_update %x, %s, %w state_indices(%idx) : (tensor<2x64xf16>, tensor<8x64x4xf16>, tensor<64x4xf16>, tensor<3xi32>) -> (tensor<2x64xf16>, tensor<8x64x4xf16>)
  return
}
