// Each fold of mamba-fuse-elementwise, and the cases where it must not fire:
// the intermediate has a second use, the op already has the operand or flag,
// the broadcast dim or rank is not the op's, the element type is not the
// op's, a value is defined after the scan, or the gate came before the skip
// term.

//===----------------------------------------------------------------------===//
// silu into causal_conv1d / causal_conv1d_update
//===----------------------------------------------------------------------===//

func.func @conv_silu(%x: tensor<2x64x?xbf16>, %w: tensor<64x4xbf16>, %b: tensor<64xbf16>) -> tensor<2x64x?xbf16> {
  %c = mamba.causal_conv1d %x, %w bias(%b) : (tensor<2x64x?xbf16>, tensor<64x4xbf16>, tensor<64xbf16>) -> tensor<2x64x?xbf16>
  %y = mamba.silu %c : tensor<2x64x?xbf16>
  return %y : tensor<2x64x?xbf16>
}
