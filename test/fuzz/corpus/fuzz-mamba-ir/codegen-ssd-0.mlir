// The CUDA text of mamba.ssd kernels (one fused kernel per op): the header
// comment, the device header, the Config that encodes the specialisation,
// the launch bounds and the signature. The first two kernels get the same
// 16-warp, two-stage plan on sm_90 and sm_80 (one block of it fits both);
// `stages` becomes kStages after the other tile constants.

// mamba2-130m: H = 24, P = 64, N = 128, bf16, one group, D per head, z,
// dt_bias and the softplus flag. z is staged with C, B and X: 45568 bytes a
// stage, plus M and H (17920 bytes).
func.func @mamba2_130m(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %B: tensor<1x?x1x128xbf16>, %C: tensor<1x?x1x128xbf16>, %D: tensor<24xf32>, %z: tensor<1x?x24x64xbf16>, %db: tensor<24xf32>) -> tensor<1x?x24x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%db) {dt_softplus} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<24xf32>, tensor<1x?x24x64xbf16>, tensor<24xf32>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// f32 with 8 groups, a per-channel (H, P) D in bf16, a bf16 dt_bias, the dt
// limits, states in and out and seq_idx: every optional flag is set, and
// the parameter types follow the operands. A stage (with the labels) is
// 44800 bytes, M and H 26112.
func.func @f32_every_option(%x: tensor<2x?x8x128xf32>, %dt: tensor<2x?x8xf32>, %A: tensor<8xf32>, %B: tensor<2x?x8x64xf32>, %D: tensor<8x128xbf16>, %db: tensor<8xbf16>, %s0: tensor<2x8x128x64xf32>, %seq: tensor<2x?xi32>) -> (tensor<2x?x8x128xf32>, tensor<2x8x128x64xf32>) {
  %y, %fs = mamba.ssd %x, %dt, %A, %B, %B D(%D) dt_bias(%db) initial_states(%s0) seq_idx(%seq) {dt_min = 0.001 : f64, dt_max = 0.1 : f64} : (tensor<2x?x8x128xf32>, tensor<2x?x8xf32>, tensor<8xf32>, tensor<2x?x8x64xf32>, tensor<2x?x8x64xf32>, tensor<8x128xbf16>, tensor<8xbf16>, tensor<2x8x128x64xf32>, tensor<2x?xi32>) -> (tensor<2x?x8x128xf32>, tensor<2x8x128x64xf32>)
  return %y, %fs : tensor<2x?x8x128xf32>, tensor<2x8x128x64xf32>
}

// dt_max alone is a limit; f16, headdim 32, and a given tile of chunk 128
// with one stage (124416 bytes), kept on every arch.
func.func @f16_dt_max_given_tile(%x: tensor<?x?x16x32xf16>, %dt: tensor<?x?x16xf16>, %A: tensor<16xf32>, %B: tensor<?x?x2x128xf16>) -> tensor<?x?x16x32xf16> {
  %y = mamba.ssd %x, %dt, %A, %B, %B {dt_max = 1.0 : f64, tile = #mamba.tile<chunk = 128, p_tile = 32, warps = 8, stages = 1, segments = 1>} : (tensor<?x?x16x32xf16>, tensor<?x?x16xf16>, tensor<16xf32>, tensor<?x?x2x128xf16>, tensor<?x?x2x128xf16>) -> tensor<?x?x16x32xf16>
  return %y : tensor<?x?x16x32xf16>
}

// A sequence split over three blocks at batch 1 (`segments = 3`): the grid's
// z shrinks as the batch grows, and kSegments bounds it.
func.func @segments(%x: tensor<?x?x80x64xbf16>, %dt: tensor<?x?x80xbf16>, %A: tensor<80xf32>, %B: tensor<?x?x1x128xbf16>) -> tensor<?x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %B, %B z(%x) {dt_softplus, tile = #mamba.tile<chunk = 32, p_tile = 64, warps = 8, stages = 2, segments = 3>} : (tensor<?x?x80x64xbf16>, tensor<?x?x80xbf16>, tensor<80xf32>, tensor<?x?x1x128xbf16>, tensor<?x?x1x128xbf16>, tensor<?x?x80x64xbf16>) -> tensor<?x?x80x64xbf16>
  return %y : tensor<?x?x80x64xbf16>
}
