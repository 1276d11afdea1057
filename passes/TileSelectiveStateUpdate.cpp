//===- TileSelectiveStateUpdate.cpp - tile plan of the decode step --------===//
//
// Decode is a state-streaming problem: every state element is read and
// written once per token. A group of `lanes_per_row` lanes owns one state row
// (one channel's N values) and moves it with 16-byte accesses along N; the
// partial sums of C . state are reduced across the group with shuffles
// (codegen/device/SelectiveStateUpdate.cuh). A block of `warps` warps covers
// `rows = warps * 32 / lanes_per_row` rows of one batch row (and one head in
// the Mamba-2 form). Heuristic: 16 state values a lane (N / 16 lanes), but at
// least 4 lanes where the row has 4 or more 16-byte vectors (else one lane a
// vector); at most 32, rounded down to a power of two that divides N; 4 warps.
// Measured on an H100 (docs/performance.md, Mamba-2 H80 P64 N128, f32 state):
// 8 lanes of 4 vectors ran 30.6 us at batch 16 and 235.7 at 128 against 34.5
// and 264.0 with 32 lanes of one vector, and level at batch 1 (2.90 / 2.86
// hot); for Mamba-1 (N 16) 4 lanes of one vector beat 2 of two.
//
// The launch bound asks for as many resident blocks as the lanes' registers
// allow, up to a full SM (2048 threads): the kernel has one round of loads
// per thread, so the bytes in flight, and with them the bandwidth, grow with
// the threads an SM holds. A lane keeps N / lanes state values and their B
// and C as f32 plus about 16 registers of addressing, x, dt and the sum;
// ptxas on sm_90 fits that budget, rounded up to 16, without spills for
// every dtype, form and d_state (with 4 values a lane: 32 registers, all
// 2048 threads; the earlier fixed bound of 4 blocks let the heuristic's tile
// take 34 to 37 registers, which leaves room for 1536).
//
//===----------------------------------------------------------------------===//

#include "passes/OpPlans.h"
#include "passes/Passes.h"
#include "passes/TileUtils.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>

#define DEBUG_TYPE "mamba-tile-selective-state-update"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_TILESELECTIVESTATEUPDATEPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

static int64_t stateBytes(SelectiveStateUpdateOp op) {
  return getElementTypeOrSelf(op.getState().getType()).getIntOrFloatBitWidth() /
         8;
}

int64_t mlir::mamba::stateRowLanes(int64_t dstate, int64_t stateBytes) {
  int64_t n = dstate;
  int64_t vectors = std::max<int64_t>(1, n * stateBytes / 16);
  int64_t lanes = std::min<int64_t>(
      32, std::max<int64_t>(n / 16, std::min<int64_t>(4, vectors)));
  // The kernel needs a power of two that divides d_state (d_state = 24 in
  // f32 would ask for 6 lanes); take the largest one below the vector count.
  lanes = int64_t(1) << llvm::Log2_64(lanes);
  while (n % lanes != 0)
    lanes /= 2;
  return lanes;
}

LogicalResult mlir::mamba::checkStateRowTile(Operation *op, TileAttr tile,
                                             int64_t dstate) {
  return failure(
      failed(checkTileParam(
          op, tile, "lanes_per_row",
          [&](int64_t v) {
            return v >= 1 && v <= 32 && (v & (v - 1)) == 0 && dstate % v == 0;
          },
          "a power of two <= 32 that divides d_state")) ||
      failed(checkTileParam(
          op, tile, "warps", [](int64_t v) { return v >= 1 && v <= 32; },
          "in [1, 32]")));
}

FailureOr<TileParams>
mlir::mamba::heuristicSelectiveStateUpdateTile(SelectiveStateUpdateOp op,
                                               const TargetInfo &) {
  if (failed(requireStatic(op, op.getHeadDim(),
                           op.isHeadForm() ? "headdim" : "channel count D")))
    return failure();
  return TileParams{
      {"lanes_per_row", stateRowLanes(op.getDState(), stateBytes(op))},
      {"warps", 4}};
}

LogicalResult
mlir::mamba::verifySelectiveStateUpdateTile(SelectiveStateUpdateOp op,
                                            TileAttr tile) {
  if (failed(checkTileNames(op, tile, {"lanes_per_row", "warps"})) ||
      failed(requireStatic(op, op.getHeadDim(),
                           op.isHeadForm() ? "headdim" : "channel count D")))
    return failure();
  return checkStateRowTile(op, tile, op.getDState());
}

FailureOr<KernelPlan>
mlir::mamba::planSelectiveStateUpdate(SelectiveStateUpdateOp op,
                                      TileAttr tile) {
  int64_t warps = tile.get("warps");
  int64_t rows = warps * 32 / tile.get("lanes_per_row");
  KernelPlan plan;
  plan.grid = {
      GridDim::constant(op.getNumHeads() * ceilDiv(op.getHeadDim(), rows)),
      GridDim::of(GridDim::Batch), GridDim::constant(1)};
  plan.block = {warps * 32, 1, 1};
  int64_t perLane = op.getDState() / tile.get("lanes_per_row");
  // The dt_proj dot product keeps its row pointers and sum besides.
  int64_t extra = op.getDtProj() ? 16 : 0;
  plan.fitRegisters(
      std::max<int64_t>(32, llvm::alignTo(3 * perLane + 16 + extra, 16)));
  return plan;
}

namespace {
struct TileSelectiveStateUpdatePass
    : public mlir::mamba::impl::TileSelectiveStateUpdatePassBase<
          TileSelectiveStateUpdatePass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(
            tileMatchingOps(getOperation(), tile, arch, db, [](Operation *op) {
              return isa<SelectiveStateUpdateOp>(op);
            })))
      signalPassFailure();
  }
};
} // namespace
