// Every diagnostic of mamba-prepare-emission: a kernel op that reaches it
// without a tile or a launch plan, named by the plan it lacks.

func.func @no_plan(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op reached emission without a tile plan; run the mamba-tile-* passes and mamba-plan-launch first}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}
