// RUN: split-file %s %t
// RUN: mamba-translate %t/unplanned.mlir --split-input-file --verify-diagnostics --mlir-to-cuda
// RUN: mamba-translate %t/arch.mlir --verify-diagnostics --mlir-to-cuda --cuda-arch=sm_75

// The diagnostics of `mamba-translate --mlir-to-cuda`: a kernel op that did
// not go through the mamba-to-cuda pipeline, a plan that no longer holds,
// and an unknown arch. The emitter never changes IR, so it refuses rather
// than plans.

//--- unplanned.mlir

func.func @unplanned(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op is not planned for emission (missing 'kernel', 'tile' or 'launch'); run the mamba-to-cuda pipeline}}
  %y = mamba.silu %x : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

// Tiled and planned, but never named by mamba-prepare-emission.
func.func @unnamed(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op is not planned for emission (missing 'kernel', 'tile' or 'launch')}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 256, items = 8>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

// A hand-edited tile is re-verified before printing.
func.func @broken_tile(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op tile parameter 'items' must be 1, 2, 4 or 8, got 16}}
  %y = mamba.silu %x {kernel = "mamba_silu_bf16_0", launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 256, items = 16>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

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
