//===- TileConvStateUpdate.cpp - tile plan of the fused decode step -------===//
//
// mamba.conv_state_update (passes/FuseDecode.cpp) is the selective state
// update of the Mamba-2 head form with the conv of its inputs in front
// (codegen/device/ConvStateUpdate.cuh). A block covers `rows = warps * 32 /
// lanes_per_row` state rows of one (batch row, head), as the state update's
// does: it first computes the conv and SiLU of its rows' x channels and of
// its group's 2 * d_state B and C channels into shared memory (every block
// of a group recomputes B and C: W * 2N multiply-adds, against the N * rows
// state values it streams), then updates its state rows. The last block of
// a (batch row, group) to finish reading the B and C conv states shifts
// them, so no block reads a state another block has already written.
//
// Heuristic: the state update's (passes/TileSelectiveStateUpdate.cpp), since
// the state rows are the same stream of bytes: 16 state values a lane, at
// least min(4, the 16-byte vectors of a row), at most 32, a power of two
// dividing d_state; 4 warps. The launch bound leaves a lane the state
// update's registers plus 16 for the conv's addressing and window (ptxas on
// sm_80 and sm_90 fits that without spills for every dtype and d_state,
// test/unit/kernels/KernelCompileTest.cpp).
//
//===----------------------------------------------------------------------===//

#include "passes/OpPlans.h"
#include "passes/Passes.h"
#include "passes/TileUtils.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>

#define DEBUG_TYPE "mamba-tile-conv-state-update"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_TILECONVSTATEUPDATEPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

static int64_t stateBytes(ConvStateUpdateOp op) {
  return getElementTypeOrSelf(op.getState().getType()).getIntOrFloatBitWidth() /
         8;
}

FailureOr<TileParams>
mlir::mamba::heuristicConvStateUpdateTile(ConvStateUpdateOp op,
                                          const TargetInfo &) {
  if (failed(requireStatic(op, op.getConvDim(), "conv channel count Dc")))
    return failure();
  return TileParams{
      {"lanes_per_row", stateRowLanes(op.getDState(), stateBytes(op))},
      {"warps", 4}};
}

LogicalResult mlir::mamba::verifyConvStateUpdateTile(ConvStateUpdateOp op,
                                                     TileAttr tile) {
  if (failed(checkTileNames(op, tile, {"lanes_per_row", "warps"})) ||
      failed(requireStatic(op, op.getConvDim(), "conv channel count Dc")))
    return failure();
  return checkStateRowTile(op, tile, op.getDState());
}

FailureOr<KernelPlan> mlir::mamba::planConvStateUpdate(ConvStateUpdateOp op,
                                                       TileAttr tile) {
  int64_t warps = tile.get("warps");
  int64_t rows = warps * 32 / tile.get("lanes_per_row");
  KernelPlan plan;
  plan.grid = {
      GridDim::constant(op.getNumHeads() * ceilDiv(op.getHeadDim(), rows)),
      GridDim::of(GridDim::Batch), GridDim::constant(1)};
  plan.block = {warps * 32, 1, 1};
  int64_t perLane = op.getDState() / tile.get("lanes_per_row");
  plan.fitRegisters(std::max<int64_t>(48, llvm::alignTo(3 * perLane + 32, 16)));
  return plan;
}

namespace {
struct TileConvStateUpdatePass
    : public mlir::mamba::impl::TileConvStateUpdatePassBase<
          TileConvStateUpdatePass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(
            tileMatchingOps(getOperation(), tile, arch, db, [](Operation *op) {
              return isa<ConvStateUpdateOp>(op);
            })))
      signalPassFailure();
  }
};
} // namespace
