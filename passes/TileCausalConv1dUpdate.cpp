//===- TileCausalConv1dUpdate.cpp - tile plan of causal_conv1d_update -----===//
//
// One thread per (batch row, channel) reads its K state values and the new
// input, writes the output and the shifted state once
// (codegen/device/CausalConv1dUpdate.cuh). Neighbouring threads own
// neighbouring channels, so a warp's state accesses form one contiguous
// stretch. Heuristic: 128 threads per block.
//
//===----------------------------------------------------------------------===//

#include "passes/OpPlans.h"
#include "passes/Passes.h"
#include "passes/TileUtils.h"

#define DEBUG_TYPE "mamba-tile-causal-conv1d-update"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_TILECAUSALCONV1DUPDATEPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

static int64_t updateChannels(CausalConv1dUpdateOp op) {
  int64_t d = op.getX().getType().getDimSize(1);
  return d == ShapedType::kDynamic ? op.getWeight().getType().getDimSize(0) : d;
}

FailureOr<TileParams>
mlir::mamba::heuristicCausalConv1dUpdateTile(CausalConv1dUpdateOp op,
                                             const TargetInfo &) {
  if (failed(requireStatic(op, updateChannels(op), "channel count D")) ||
      failed(requireStatic(op, op.getConvState().getType().getDimSize(2),
                           "conv state length K")))
    return failure();
  return TileParams{{"threads", 128}};
}

LogicalResult mlir::mamba::verifyCausalConv1dUpdateTile(CausalConv1dUpdateOp op,
                                                        TileAttr tile) {
  if (failed(checkTileNames(op, tile, {"threads"})) ||
      failed(requireStatic(op, updateChannels(op), "channel count D")) ||
      failed(requireStatic(op, op.getConvState().getType().getDimSize(2),
                           "conv state length K")))
    return failure();
  return checkTileParam(
      op, tile, "threads",
      [](int64_t v) { return v % 32 == 0 && v >= 32 && v <= 1024; },
      "a multiple of 32 in [32, 1024]");
}

FailureOr<KernelPlan>
mlir::mamba::planCausalConv1dUpdate(CausalConv1dUpdateOp op, TileAttr tile) {
  int64_t threads = tile.get("threads");
  KernelPlan plan;
  plan.grid = {GridDim::constant(ceilDiv(updateChannels(op), threads)),
               GridDim::of(GridDim::Batch), GridDim::constant(1)};
  plan.block = {threads, 1, 1};
  plan.minBlocksPerSM = 4;
  return plan;
}

namespace {
struct TileCausalConv1dUpdatePass
    : public mlir::mamba::impl::TileCausalConv1dUpdatePassBase<
          TileCausalConv1dUpdatePass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(
            tileMatchingOps(getOperation(), tile, arch, db, [](Operation *op) {
              return isa<CausalConv1dUpdateOp>(op);
            })))
      signalPassFailure();
  }
};
} // namespace
