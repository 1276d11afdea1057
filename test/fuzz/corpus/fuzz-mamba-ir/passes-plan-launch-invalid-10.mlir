// The ssd with chunk 128, p_tile 64 and one stage needs 141312 bytes.
func.func @ssd_smem_over_sm86(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op launch plan needs 141312 bytes of shared memory per block, more than sm_86 allows (101376)}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}
