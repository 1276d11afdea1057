// A plan over the limits of the arch the text is printed for.
func.func @over_smem(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.causal_conv1d' op launch plan needs 267020 bytes of shared memory per block, more than sm_90 allows (232448)}}
  %y = mamba.causal_conv1d %x, %w {kernel = "mamba_causal_conv1d_bf16_0", launch = #mamba.launch<grid = [?, 24, ?], block = [256, 1, 1], smem = 267020, regs = 64>, tile = #mamba.tile<l_tile = 1024, c_tile = 64, threads = 256>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

//--- arch.mlir

// expected-error @+1 {{unknown --cuda-arch 'sm_75'}}
module {
  func.func @any(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
    return %x : tensor<?x768xbf16>
  }
}
