//===- OpPlans.h - per-op tile heuristics and launch rules ------*- C++ -*-===//
//
// Internal to passes/: each Tile<Op>.cpp implements the three functions of its
// op; KernelPlan.cpp dispatches to them.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_PASSES_OPPLANS_H
#define MAMBA_PASSES_OPPLANS_H

#include "passes/KernelPlan.h"

namespace mlir {
namespace mamba {

#define MAMBA_DECLARE_OP_PLAN(Name, OpT)                                       \
  FailureOr<TileParams> heuristic##Name##Tile(OpT op,                          \
                                              const TargetInfo &target);       \
  LogicalResult verify##Name##Tile(OpT op, TileAttr tile);                     \
  FailureOr<KernelPlan> plan##Name(OpT op, TileAttr tile);

MAMBA_DECLARE_OP_PLAN(SelectiveScan, SelectiveScanOp)
MAMBA_DECLARE_OP_PLAN(Ssd, SsdOp)
MAMBA_DECLARE_OP_PLAN(CausalConv1d, CausalConv1dOp)
MAMBA_DECLARE_OP_PLAN(CausalConv1dUpdate, CausalConv1dUpdateOp)
MAMBA_DECLARE_OP_PLAN(SelectiveStateUpdate, SelectiveStateUpdateOp)
MAMBA_DECLARE_OP_PLAN(ConvStateUpdate, ConvStateUpdateOp)
MAMBA_DECLARE_OP_PLAN(Norm, Operation *)
MAMBA_DECLARE_OP_PLAN(Elementwise, Operation *)

#undef MAMBA_DECLARE_OP_PLAN

/// The parameter names of the two selective_scan kernels: chunked
/// (selective_scan) and state-parallel (selective_scan_by_state).
extern const llvm::StringRef kScanChunkedTileNames[4];
extern const llvm::StringRef kScanByStateTileNames[2];
/// Whether a selective_scan tile selects the state-parallel kernel.
bool isStateParallelScanTile(TileAttr tile);

/// The state-parallel selective_scan tile {warps, steps} that short
/// sequences run (the CUDA runtime launches it below kShortScanMaxSeqLen
/// steps), or failure when d_state or the groups of B/C do not fit it.
FailureOr<TileParams> shortSequenceSelectiveScanTile(SelectiveScanOp op);
/// Sequences shorter than this take shortSequenceSelectiveScanTile. On the
/// H100 (docs/performance.md) the state-parallel kernel is 1.5x faster at
/// L 128 and 1.13x slower at L 256 (batch 8, D 5120, N 16).
constexpr int64_t kShortScanMaxSeqLen = 192;

/// The state-update heuristic's lanes per state row (TileSelectiveState-
/// Update.cpp): 16 state values a lane, at least min(4, the row's 16-byte
/// vectors), at most 32, a power of two that divides d_state. Shared with
/// the fused conv_state_update, whose state rows are the same.
int64_t stateRowLanes(int64_t dstate, int64_t stateBytes);
/// The rules of a {lanes_per_row, warps} state-row tile.
LogicalResult checkStateRowTile(Operation *op, TileAttr tile, int64_t dstate);

/// Helpers for the per-op files.
int64_t ceilDiv(int64_t a, int64_t b);
/// Fails with "tile parameter 'name' of <op> must be ..., got v".
LogicalResult checkTileParam(Operation *op, TileAttr tile, llvm::StringRef name,
                             llvm::function_ref<bool(int64_t)> ok,
                             llvm::StringRef rule);
/// Fails unless the tile has exactly `names`, in any order.
LogicalResult checkTileNames(Operation *op, TileAttr tile,
                             llvm::ArrayRef<llvm::StringRef> names);
/// The parameter sets of an op with several kernel variants (selective_scan:
/// chunked {warps, channels_per_warp, items, n_tile} or state-parallel
/// {warps, steps}). A tile override naming exactly one set replaces the tile
/// instead of updating it, which switches the variant.
SmallVector<SmallVector<llvm::StringRef>> alternativeTileNames(Operation *op);
/// A static dim or a diagnostic "<op> needs a static <what> for tiling".
FailureOr<int64_t> requireStatic(Operation *op, int64_t value,
                                 llvm::StringRef what);

} // namespace mamba
} // namespace mlir

#endif // MAMBA_PASSES_OPPLANS_H
