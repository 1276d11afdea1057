//===- TileSpace.h - the legal tiles of a kernel op, for tuning -*- C++ -*-===//
//
// The tuner's search space, taken from the tile verifiers and pruned by the
// launch plan's resource model:
//   1. the parameter sets of the op's kernel variants (alternativeTileNames,
//      else the heuristic tile's names);
//   2. per parameter, the values of kTileSpaceValues that verify with the
//      other parameters at the variant's base tile (the heuristic, or for the
//      state-parallel selective_scan its short-sequence tile);
//   3. every combination of those values that verifies;
//   4. pruned: a plan the target cannot launch (threads, shared memory), a
//      register budget below `minRegisters` (the kernel would spill), or
//      fewer than `minWarpsPerSM` resident warps (blocks that fit an SM by
//      shared memory and registers, times their warps);
//   5. ordered by distance from the heuristic (sum of |log2(a / b)| over the
//      parameters; another variant counts 4), the heuristic first, and cut to
//      `maxCandidates`.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_PASSES_TILESPACE_H
#define MAMBA_PASSES_TILESPACE_H

#include "passes/KernelPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <vector>

namespace mlir {
namespace mamba {

/// The values each tile parameter is tried with: powers of two and three
/// times powers of two, 1 to 1024.
extern const int64_t kTileSpaceValues[20];

struct TileSpaceOptions {
  int64_t maxCandidates = 48; // 0: no limit
  int64_t minRegisters = 32;
  int64_t minWarpsPerSM = 4;
};

struct TileCandidate {
  TileParams params;
  KernelPlan plan;
  double distance = 0; // from the heuristic
  bool heuristic = false;
};

struct TileSpaceStats {
  int64_t combinations = 0; // tried against the verifier
  int64_t verified = 0;     // of which verified
  int64_t prunedLaunch = 0; // the target cannot launch the plan
  int64_t prunedRegisters = 0;
  int64_t prunedOccupancy = 0;
  int64_t cut = 0; // beyond maxCandidates
};

/// The candidates for `op` (a kernel op whose kernel dims are static), the
/// heuristic's tile first. Fails with the heuristic's diagnostic.
FailureOr<std::vector<TileCandidate>>
enumerateTiles(Operation *op, const TargetInfo &target,
               const TileSpaceOptions &options,
               TileSpaceStats *stats = nullptr);

/// "chunk = 64, p_tile = 32" (the #mamba.tile parameter list).
std::string tileText(const TileParams &params);

/// The #mamba.tile attribute of `params`.
TileAttr tileAttr(MLIRContext *ctx, const TileParams &params);

/// Adds to `module` a func `name` that runs a copy of `op` on the func's
/// arguments and returns its results. The copy loses its plan (tile, launch,
/// kernel, tile_source) and gets `tile` when given; with `toF32`, every float
/// tensor type becomes f32 (the types the CPU reference backend runs).
func::FuncOp addIsolatedOpFunc(ModuleOp module, Operation *op, StringRef name,
                               const TileParams *tile, bool toF32 = false);

} // namespace mamba
} // namespace mlir

#endif // MAMBA_PASSES_TILESPACE_H
