// RUN: split-file %s %t
// RUN: mamba-opt %t/sm90.mlir --split-input-file --verify-diagnostics --mamba-plan-launch
// RUN: mamba-opt %t/sm86.mlir --split-input-file --verify-diagnostics --mamba-plan-launch="arch=sm_86"
// RUN: mamba-opt %t/sm89.mlir --verify-diagnostics --mamba-plan-launch="arch=sm_89"
// RUN: mamba-opt %t/sm80.mlir --split-input-file --verify-diagnostics --mamba-plan-launch="arch=sm_80"
// RUN: mamba-opt %t/unknown-arch.mlir --verify-diagnostics --mamba-plan-launch="arch=sm_75"
// RUN: mamba-opt %t/malformed-arch.mlir --verify-diagnostics --mamba-plan-launch="arch=ampere"

// Every diagnostic of mamba-plan-launch: the arch, the per-arch shared
// memory limit, and the tile rules it re-checks before planning (a tile that
// would ask for more than 1024 threads per block is refused by the rule of
// its parameter, which names it).

//--- sm90.mlir

// (1024 + 3) x (64 + 1) f32 = 267020 bytes exceed even sm_90.
func.func @smem_over_sm90(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.causal_conv1d' op launch plan needs 267020 bytes of shared memory per block, more than sm_90 allows (232448)}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 1024, c_tile = 64, threads = 256>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

// 64 warps would be 2048 threads per block.
func.func @too_many_threads_scan(%u: tensor<?x4096x?xbf16>, %A: tensor<4096x16xf32>, %B: tensor<?x1x16x?xbf16>) -> tensor<?x4096x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op tile parameter 'warps' must be in [1, 32], got 64}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 64, channels_per_warp = 1, items = 8, n_tile = 16>} : (tensor<?x4096x?xbf16>, tensor<?x4096x?xbf16>, tensor<4096x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x4096x?xbf16>
  return %y : tensor<?x4096x?xbf16>
}

// -----

func.func @too_many_threads_norm(%x: tensor<?x4096xbf16>, %w: tensor<4096xbf16>) -> tensor<?x4096xbf16> {
  // expected-error @+1 {{'mamba.rms_norm' op tile parameter 'threads' must be a multiple of 32 in [32, 1024], got 2048}}
  %y = mamba.rms_norm %x, %w {tile = #mamba.tile<threads = 2048, items = 2>} : (tensor<?x4096xbf16>, tensor<4096xbf16>) -> tensor<?x4096xbf16>
  return %y : tensor<?x4096xbf16>
}

// -----

// 32 warps of the ssd kernel: it takes 16 at most.
func.func @too_many_warps_ssd(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op tile parameter 'warps' must be 2, 4, 8 or 16, got 32}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 32, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// -----

// Two stages of chunk 128 with z: 2 x (89088 + 18432) + 34816 + 17408 =
// 267264 bytes exceed even sm_90.
func.func @ssd_two_stages_over_sm90(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op launch plan needs 267264 bytes of shared memory per block, more than sm_90 allows (232448)}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x24x64xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// -----

// An ssd tile without `stages` (written before it existed) is not planned.
func.func @ssd_tile_without_stages(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op tile lacks parameter 'stages'}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// -----

// 8 warps of 4 channels, 16 items, 32 states a tile, d_state 256: 2 x (2 x 32
// x 512 + 2 x 32 x 512) x 2 + 32 x 256 x 4 = 294912 bytes exceed even sm_90.
func.func @scan_smem_over_sm90(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x256xf32>, %B: tensor<?x1x256x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op launch plan needs 294912 bytes of shared memory per block, more than sm_90 allows (232448)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 8, channels_per_warp = 4, items = 16, n_tile = 32>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x256xf32>, tensor<?x1x256x?xbf16>, tensor<?x1x256x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

// A scan tile of 4 bf16 items (half a 16-byte vector, allowed before the
// kernel loaded whole vectors) is refused when re-verified.
func.func @scan_items_4_bf16(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op tile parameter 'items' must be 4, 8 or 16, and a multiple of the 16-byte vector width, got 4}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 8, channels_per_warp = 1, items = 4, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

// The tile is re-verified against the op's kernel before planning.
func.func @unknown_tile_parameter(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op tile has unknown parameter 'threads' (expected: warps, channels_per_warp, items, n_tile)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<threads = 128, items = 8>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

// A tile on an op that has no generated kernel.
func.func @tile_on_library_call(%x: tensor<?x768xbf16>, %w: tensor<1536x768xbf16>) -> tensor<?x1536xbf16> {
  // expected-error @+1 {{'mamba.linear' op has no generated kernel to tile}}
  %y = mamba.linear %x, %w {tile = #mamba.tile<threads = 128>} : (tensor<?x768xbf16>, tensor<1536x768xbf16>) -> tensor<?x1536xbf16>
  return %y : tensor<?x1536xbf16>
}

//--- sm86.mlir

// (512 + 3) x (64 + 1) f32 = 133900 bytes: fine on sm_80 and sm_90
// (plan-launch.mlir), over sm_86's 101376.
func.func @smem_over_sm86(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.causal_conv1d' op launch plan needs 133900 bytes of shared memory per block, more than sm_86 allows (101376)}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 512, c_tile = 64, threads = 256>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

// The ssd with chunk 128, p_tile 64 and one stage needs 141312 bytes.
func.func @ssd_smem_over_sm86(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op launch plan needs 141312 bytes of shared memory per block, more than sm_86 allows (101376)}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC {tile = #mamba.tile<chunk = 128, p_tile = 64, warps = 8, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// -----

// mamba2-130m with z and two stages: 2 x 45568 + 9216 + 8704 = 109056 bytes,
// what the sm_90 heuristic picks, over sm_86's 101376.
func.func @ssd_two_stages_over_sm86(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16> {
  // expected-error @+1 {{'mamba.ssd' op launch plan needs 109056 bytes of shared memory per block, more than sm_86 allows (101376)}}
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) {tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x24x64xbf16>) -> tensor<1x?x24x64xbf16>
  return %y : tensor<1x?x24x64xbf16>
}

// -----

// f32 with d_state 256 at items 16, what the sm_90 heuristic picks: 2 x (2 x
// 8 x 512 + 2 x 4 x 512) x 4 + 4 x 256 x 4 = 102400 bytes, just over sm_86's
// 101376 (the sm_86 heuristic takes items 4, tile-selective-scan.mlir).
func.func @scan_sm90_tile_over_sm86(%u: tensor<?x1536x?xf32>, %A: tensor<1536x256xf32>, %BC: tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32> {
  // expected-error @+1 {{'mamba.selective_scan' op launch plan needs 102400 bytes of shared memory per block, more than sm_86 allows (101376)}}
  %y = mamba.selective_scan %u, %u, %A, %BC, %BC {tile = #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>} : (tensor<?x1536x?xf32>, tensor<?x1536x?xf32>, tensor<1536x256xf32>, tensor<?x1x256x?xf32>, tensor<?x1x256x?xf32>) -> tensor<?x1536x?xf32>
  return %y : tensor<?x1536x?xf32>
}

//--- sm89.mlir

func.func @smem_over_sm89(%x: tensor<?x1536x?xbf16>, %w: tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{launch plan needs 133900 bytes of shared memory per block, more than sm_89 allows (101376)}}
  %y = mamba.causal_conv1d %x, %w {tile = #mamba.tile<l_tile = 512, c_tile = 64, threads = 256>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

//--- sm80.mlir

// 2 x (2 x 8 x 512 + 2 x 32 x 512) x 2 + 32 x 256 x 4 = 196608 bytes: fine
// on sm_90 (plan-launch.mlir), over sm_80's 166912.
func.func @smem_over_sm80(%u: tensor<?x1536x?xbf16>, %A: tensor<1536x256xf32>, %B: tensor<?x1x256x?xbf16>) -> tensor<?x1536x?xbf16> {
  // expected-error @+1 {{'mamba.selective_scan' op launch plan needs 196608 bytes of shared memory per block, more than sm_80 allows (166912)}}
  %y = mamba.selective_scan %u, %u, %A, %B, %B {tile = #mamba.tile<warps = 8, channels_per_warp = 4, items = 16, n_tile = 8>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x256xf32>, tensor<?x1x256x?xbf16>, tensor<?x1x256x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// -----

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
