// Two stages of chunk 128 with z: 2 x (89088 + 18432) + 34816 + 17408 =
// 267264 bytes exceed even sm_90.
func.func @ssd_two_stages_over_sm90(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op launch plan needs 267264 bytes of shared memory per block, more than sm_90 allows (232448)}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x24x64xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
