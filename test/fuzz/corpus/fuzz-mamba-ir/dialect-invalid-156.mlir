func.func @ssd_initial_states_bf16(%x: tensor<?x?x8x64xbf16>, %dt: tensor<?x?x8xbf16>, %A: tensor<8xf32>, %B: tensor<?x?x1x16xbf16>, %s0: tensor<?x8x64x16xbf16>) {
  // expected-error @+1 {{operand #5 must be ranked tensor of 32-bit float values, but got 'tensor<?x8x64x16xbf16>'}}
  %y = mamba.ssd %x, %dt, %A, %B, %B initial_states(%s0) : (tensor<?x?x8x64xbf16>, tensor<?x?x8xbf16>, tensor<8xf32>, tensor<?x?x1x16xbf16>, tensor<?x?x1x16xbf16>, tensor<?x8x64x16xbf16>) -> tensor<?x?x8x64xbf16>
  return
}
