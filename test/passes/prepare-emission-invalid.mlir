// RUN: mamba-opt %s --split-input-file --verify-diagnostics --mamba-prepare-emission

// Every diagnostic of mamba-prepare-emission: a kernel op that reaches it
// without a tile or a launch plan, named by the plan it lacks.

func.func @no_plan(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op reached emission without a tile plan; run the mamba-tile-* passes and mamba-plan-launch first}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

// Tiled but not planned: mamba-plan-launch did not run.
func.func @no_launch(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op reached emission without a launch plan; run the mamba-tile-* passes and mamba-plan-launch first}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

// A launch without the tile it came from.
func.func @no_tile(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op reached emission without a tile plan}}
  %y = mamba.silu %x {launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

// A `tile` that is not a #mamba.tile is no tile plan.
func.func @tile_of_wrong_kind(%x: tensor<?x768xbf16>) -> tensor<?x768xbf16> {
  // expected-error @+1 {{'mamba.silu' op reached emission without a tile plan}}
  %y = mamba.silu %x {tile = 256 : i64, launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>} : tensor<?x768xbf16>
  return %y : tensor<?x768xbf16>
}

// -----

// A `launch` that is not a #mamba.launch is no launch plan.
func.func @launch_of_wrong_kind(%ids: tensor<?xi32>, %t: tensor<1000x64xf16>) -> tensor<?x64xf16> {
  // expected-error @+1 {{'mamba.embedding' op reached emission without a launch plan}}
  %y = mamba.embedding %ids, %t {tile = #mamba.tile<threads = 128, items = 8>, launch = "planned"} : (tensor<?xi32>, tensor<1000x64xf16>) -> tensor<?x64xf16>
  return %y : tensor<?x64xf16>
}

// -----

// Planned ops before it do not excuse an unplanned one after them.
func.func @one_unplanned(%x: tensor<?x768xbf16>, %s: tensor<?x768x4xbf16>, %w: tensor<768x4xbf16>) -> tensor<?x768xbf16> {
  %y = mamba.silu %x {launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 256, items = 8>} : tensor<?x768xbf16>
  // expected-error @+1 {{'mamba.causal_conv1d_update' op reached emission without a tile plan}}
  %z, %s1 = mamba.causal_conv1d_update %y, %s, %w : (tensor<?x768xbf16>, tensor<?x768x4xbf16>, tensor<768x4xbf16>) -> (tensor<?x768xbf16>, tensor<?x768x4xbf16>)
  return %z : tensor<?x768xbf16>
}
