// A `launch` that is not a #mamba.launch is no launch plan.
func.func @launch_of_wrong_kind(%ids: tensor<?xi32>, %t: tensor<1000x64xf16>) -> tensor<?x64xf16> {
  // expected-error @+1 {{'mamba.embedding' op reached emission without a launch plan}}
  %y = mamba.embedding %ids, %t {tile = #mamba.tile<threads = 128, items = 8>, launch = "planned"} : (tensor<?xi32>, tensor<1000x64xf16>) -> tensor<?x64xf16>
  return %y : tensor<?x64xf16>
}
