// The CUDA text of mamba.selective_scan kernels: the header comment (op,
// loc, tile, launch, grid and block), the device header, the Config that
// encodes the specialisation, the launch bounds and the signature. With the
// IR's locations kept (LOC), the header names the op's source location.
// The heuristic's `items` follows the arch: 16 unless two blocks of the
// shared memory would not fit the target (the first kernel on sm_86, SM86
// lines), and the launch bounds follow the registers of the plan.

// mamba-130m: bf16, per-token B and C (one group), D, z, delta_bias and
// the softplus flag. Two stages of B and C (8 x 512 each), u, delta and z
// (4 x 512 each) and 4 x 16 f32 carries: 2 x 14336 x 2 + 256 = 57600 bytes,
// 176 estimated registers, 2 blocks of 128. Two blocks do not fit sm_86's
// 101376: 8 items there, 28928 bytes, 120 registers, 4 blocks.
// LOC-LABEL: // ===== kernel mamba_selective_scan_bf16_
// LOC: // loc: loc("layers.0.mixer.scan")
// SM90-NEXT: // tile:   #mamba.tile<warps = 4, channels_per_warp = 1, items = 16, n_tile = 8>
// SM90-NEXT: // launch: #mamba.launch<grid = [384, ?, 1], block = [128, 1, 1], smem = 57600, regs = 255>
// SM90-NEXT: // Grid: (384, Bt, 1) Block: (128, 1, 1), 57600 bytes of dynamic shared memory
// SM86-NEXT: // tile:   #mamba.tile<warps = 4, channels_per_warp = 1, items = 8, n_tile = 8>
// SM86-NEXT: // launch: #mamba.launch<grid = [384, ?, 1], block = [128, 1, 1], smem = 28928, regs = 128>
// SM86-NEXT: // Grid: (384, Bt, 1) Block: (128, 1, 1), 28928 bytes of dynamic shared memory
// SM90-NEXT: static constexpr int kItems = 16;
// SM86-NEXT: static constexpr int kItems = 8;
// SM90: extern "C" __global__ void __launch_bounds__(128, 2)
// SM86: extern "C" __global__ void __launch_bounds__(128, 4)
func.func @mamba_130m(%u: tensor<?x1536x?xbf16>, %dt: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>, %C: tensor<?x1x16x?xbf16>, %D: tensor<1536xf32>, %z: tensor<?x1536x?xbf16>, %db: tensor<1536xf32>) -> tensor<?x1536x?xbf16> {
  %y = mamba.selective_scan %u, %dt, %A, %B, %C D(%D) z(%z) delta_bias(%db) {delta_softplus} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<1536xf32>, tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16> loc("layers.0.mixer.scan")
  return %y : tensor<?x1536x?xbf16>
}

// f32 with constant (D, N) B and C, no optional operand, and the state in
// and out: the flags of the absent operands are false. Nothing but u and
// delta is staged: 2 x 2 x 4 x 512 x 4 + 4 x 16 x 4 = 33024 bytes, the
// same 16 items on every arch.
// LOC-LABEL: // ===== kernel mamba_selective_scan_f32_
// LOC: // loc: loc("{{.*}}selective-scan.mlir":[[@LINE+35]]:12)
func.func @f32_constant_bc_states(%u: tensor<2x5120x?xf32>, %A: tensor<5120x16xf32>, %s0: tensor<2x5120x16xf32>) -> (tensor<2x5120x?xf32>, tensor<2x5120x16xf32>) {
  %y, %s = mamba.selective_scan %u, %u, %A, %A, %A initial_state(%s0) : (tensor<2x5120x?xf32>, tensor<2x5120x?xf32>, tensor<5120x16xf32>, tensor<5120x16xf32>, tensor<5120x16xf32>, tensor<2x5120x16xf32>) -> (tensor<2x5120x?xf32>, tensor<2x5120x16xf32>)
  return %y, %s : tensor<2x5120x?xf32>, tensor<2x5120x16xf32>
}

// f16 with 2 groups of B and an ungrouped per-token C, d_state 24, and a
// hand-written tile: the tile constants follow it. 8 warps of one channel:
// 2 x (2 x 8 x 512 + 2 x 8 x 512) x 2 + 8 x 24 x 4 = 66304 bytes; 176
// estimated registers leave one block of 256.
func.func @f16_groups_given_tile(%u: tensor<?x768x?xf16>, %A: tensor<768x24xf32>, %B: tensor<?x2x24x?xf16>, %C: tensor<?x24x?xf16>) -> tensor<?x768x?xf16> {
  %y = mamba.selective_scan %u, %u, %A, %B, %C {tile = #mamba.tile<warps = 8, channels_per_warp = 1, items = 16, n_tile = 8>} : (tensor<?x768x?xf16>, tensor<?x768x?xf16>, tensor<768x24xf32>, tensor<?x2x24x?xf16>, tensor<?x24x?xf16>) -> tensor<?x768x?xf16>
  return %y : tensor<?x768x?xf16>
}
