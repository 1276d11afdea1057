// Two stages of chunk 128: 230400 bytes, fine on sm_90 (plan-launch.mlir),
// over sm_80's 166912.
func.func @ssd_two_stages_over_sm80(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op launch plan needs 230400 bytes of shared memory per block, more than sm_80 allows (166912)}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

//--- unknown-arch.mlir

// expected-error @+1 {{unknown target arch 'sm_75' (supported: sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a)}}
module {
  func.func @any(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
    %y = mamba.silu %x {tile = #mamba.tile<threads = 256, items = 8>} : tensor<?x768xbf16>
    return %y : tensor<?x768xbf16>
  }
}

//--- malformed-arch.mlir

// expected-error @+1 {{unknown target arch 'ampere' (supported: sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a)}}
module {
  func.func @any(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
    %y = mamba.silu %x {tile = #mamba.tile<threads = 256, items = 8>} : tensor<?x768xbf16>
    return %y : tensor<?x768xbf16>
  }
}
