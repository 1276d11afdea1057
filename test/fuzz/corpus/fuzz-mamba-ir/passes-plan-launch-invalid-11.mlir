// mamba2-130m with z and two stages: 2 x 45568 + 9216 + 8704 = 109056 bytes,
// what the sm_90 heuristic picks, over sm_86's 101376.
func.func @ssd_two_stages_over_sm86(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op launch plan needs 109056 bytes of shared memory per block, more than sm_86 allows (101376)}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) {tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x24x64xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
