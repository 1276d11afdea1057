//===- TileNorms.cpp - tile plans of the row reductions -------------------===//
//
// mamba.rms_norm, gated_rms_norm and argmax run one block per row (per (row,
// group) for gated_rms_norm). For the norms each of `threads` threads keeps
// `items` consecutive columns in registers between the sum of squares and
// the scaling, so the row is read once (codegen/device/Norms.cuh); the tile
// must cover the row. Heuristic: 8 columns per thread (16-byte loads of
// 16-bit values), as many threads as that needs, rounded up to a warp.
// argmax streams its row in steps of threads x items columns
// (codegen/device/Argmax.cuh), so any tile works: 16 bytes per load and up
// to 1024 threads.
//
//===----------------------------------------------------------------------===//

#include "passes/OpPlans.h"
#include "passes/Passes.h"
#include "passes/TileUtils.h"

#define DEBUG_TYPE "mamba-tile-norms"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_TILENORMSPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

/// Columns one block normalises: the row, or one group of it.
static FailureOr<int64_t> normSpan(Operation *op) {
  auto type = cast<RankedTensorType>(op->getOperand(0).getType());
  FailureOr<int64_t> cols =
      requireStatic(op, type.getShape().back(), "row length");
  if (failed(cols))
    return failure();
  if (auto gated = dyn_cast<GatedRmsNormOp>(op))
    return gated.getEffectiveGroupSize();
  return *cols;
}

FailureOr<TileParams> mlir::mamba::heuristicNormTile(Operation *op,
                                                     const TargetInfo &) {
  if (isa<ArgmaxOp>(op)) {
    // The row length may be dynamic (a view that leaves out padded vocab).
    auto type = cast<RankedTensorType>(op->getOperand(0).getType());
    int64_t items =
        16 / std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
    int64_t cols = type.getShape().back();
    int64_t threads =
        cols == ShapedType::kDynamic
            ? 1024
            : std::min<int64_t>(1024, (ceilDiv(cols, items) + 31) / 32 * 32);
    return TileParams{{"threads", threads}, {"items", items}};
  }
  FailureOr<int64_t> span = normSpan(op);
  if (failed(span))
    return failure();
  int64_t items = 8;
  int64_t threads = (ceilDiv(*span, items) + 31) / 32 * 32;
  while (threads > 1024) {
    items *= 2;
    threads = (ceilDiv(*span, items) + 31) / 32 * 32;
  }
  return TileParams{{"threads", threads}, {"items", items}};
}

LogicalResult mlir::mamba::verifyNormTile(Operation *op, TileAttr tile) {
  if (failed(checkTileNames(op, tile, {"threads", "items"})))
    return failure();
  FailureOr<int64_t> span =
      isa<ArgmaxOp>(op) ? FailureOr<int64_t>(0) : normSpan(op);
  if (failed(span) ||
      failed(checkTileParam(
          op, tile, "threads",
          [](int64_t v) { return v % 32 == 0 && v >= 32 && v <= 1024; },
          "a multiple of 32 in [32, 1024]")) ||
      failed(checkTileParam(
          op, tile, "items", [](int64_t v) { return v >= 1 && v <= 64; },
          "in [1, 64]")))
    return failure();
  if (tile.get("threads") * tile.get("items") < *span)
    return op->emitOpError() << "tile covers " << tile.get("threads") << " x "
                             << tile.get("items") << " columns, fewer than the "
                             << *span << " a block normalises";
  return success();
}

FailureOr<KernelPlan> mlir::mamba::planNorm(Operation *op, TileAttr tile) {
  KernelPlan plan;
  int64_t groups = 1;
  if (auto gated = dyn_cast<GatedRmsNormOp>(op))
    groups = cast<RankedTensorType>(gated.getX().getType()).getShape().back() /
             gated.getEffectiveGroupSize();
  plan.grid = {GridDim::of(GridDim::Rows), GridDim::constant(groups),
               GridDim::constant(1)};
  plan.block = {tile.get("threads"), 1, 1};
  plan.minBlocksPerSM = std::max<int64_t>(1, 1024 / tile.get("threads"));
  return plan;
}

namespace {
struct TileNormsPass
    : public mlir::mamba::impl::TileNormsPassBase<TileNormsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(
            tileMatchingOps(getOperation(), tile, arch, db, [](Operation *op) {
              return isa<RmsNormOp, GatedRmsNormOp, ArgmaxOp>(op);
            })))
      signalPassFailure();
  }
};
} // namespace
