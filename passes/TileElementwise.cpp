//===- TileElementwise.cpp - tile plan of the pointwise ops ---------------===//
//
// `embedding`: one block per row of ids, `threads` threads copying the
// embedding row with 16-byte accesses. `silu`, `softplus`, `channel_mul`,
// `channel_add`: a flat grid over the elements, `items` per thread
// (codegen/device/Elementwise.cuh). Heuristic: 256 threads, 8 items.
//
//===----------------------------------------------------------------------===//

#include "passes/OpPlans.h"
#include "passes/Passes.h"
#include "passes/TileUtils.h"

#define DEBUG_TYPE "mamba-tile-elementwise"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_TILEELEMENTWISEPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

/// The dims the kernel is specialised on (embedding width, the channel
/// vector's extent) must be static, for a heuristic and a given tile alike.
static LogicalResult requireStaticDims(Operation *op) {
  if (auto emb = dyn_cast<EmbeddingOp>(op))
    return requireStatic(op, emb.getTable().getType().getDimSize(1),
                         "embedding width");
  if (isa<ChannelMulOp, ChannelAddOp>(op))
    for (int64_t d :
         cast<RankedTensorType>(op->getOperand(1).getType()).getShape())
      if (failed(requireStatic(op, d, "channel vector length")))
        return failure();
  return success();
}

FailureOr<TileParams>
mlir::mamba::heuristicElementwiseTile(Operation *op, const TargetInfo &) {
  if (failed(requireStaticDims(op)))
    return failure();
  if (isa<EmbeddingOp>(op))
    return TileParams{{"threads", 128}, {"items", 8}};
  return TileParams{{"threads", 256}, {"items", 8}};
}

LogicalResult mlir::mamba::verifyElementwiseTile(Operation *op, TileAttr tile) {
  if (failed(checkTileNames(op, tile, {"threads", "items"})) ||
      failed(requireStaticDims(op)))
    return failure();
  return failure(
      failed(checkTileParam(
          op, tile, "threads",
          [](int64_t v) { return v % 32 == 0 && v >= 32 && v <= 1024; },
          "a multiple of 32 in [32, 1024]")) ||
      failed(checkTileParam(
          op, tile, "items",
          [](int64_t v) { return v == 1 || v == 2 || v == 4 || v == 8; },
          "1, 2, 4 or 8")));
}

FailureOr<KernelPlan> mlir::mamba::planElementwise(Operation *op,
                                                   TileAttr tile) {
  KernelPlan plan;
  int64_t threads = tile.get("threads");
  if (isa<EmbeddingOp>(op))
    plan.grid = {GridDim::of(GridDim::Rows), GridDim::constant(1),
                 GridDim::constant(1)};
  else
    plan.grid = {GridDim::of(GridDim::Rows, threads * tile.get("items")),
                 GridDim::constant(1), GridDim::constant(1)};
  plan.block = {threads, 1, 1};
  plan.minBlocksPerSM = std::max<int64_t>(1, 2048 / threads);
  return plan;
}

namespace {
struct TileElementwisePass
    : public mlir::mamba::impl::TileElementwisePassBase<TileElementwisePass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(
            tileMatchingOps(getOperation(), tile, arch, db, [](Operation *op) {
              return isa<EmbeddingOp, SiluOp, SoftplusOp, ChannelMulOp,
                         ChannelAddOp>(op);
            })))
      signalPassFailure();
  }
};
} // namespace
