func.func @launch_missing_field(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected ','}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [1, 1, 1], block = [128, 1, 1], smem = 0>} : tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// The packed form (cu_seqlens)
//===----------------------------------------------------------------------===//
