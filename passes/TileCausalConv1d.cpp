//===- TileCausalConv1d.cpp - tile plan of mamba.causal_conv1d ------------===//
//
// A block computes `l_tile` positions of `c_tile` channels
// (codegen/device/CausalConv1d.cuh). It stages the inputs of those positions
// plus the W-1 before them (the halo) in shared memory, loading along the
// layout's contiguous dim so that a warp's loads are coalesced: channels for
// channel_last, positions for channel_first. Heuristic: 64 positions x 64
// channels for channel_last and 256 positions x 4 channels for channel_first,
// with 128 threads; each thread then computes 32 or 8 outputs.
//
//===----------------------------------------------------------------------===//

#include "passes/OpPlans.h"
#include "passes/Passes.h"
#include "passes/TileUtils.h"

#define DEBUG_TYPE "mamba-tile-causal-conv1d"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_TILECAUSALCONV1DPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

static int64_t convChannels(CausalConv1dOp op) {
  auto type = op.getX().getType();
  int64_t d = type.getDimSize(op.isChannelLast() ? 2 : 1);
  return d == ShapedType::kDynamic ? op.getWeight().getType().getDimSize(0) : d;
}

FailureOr<TileParams>
mlir::mamba::heuristicCausalConv1dTile(CausalConv1dOp op, const TargetInfo &) {
  if (failed(requireStatic(op, convChannels(op), "channel count D")))
    return failure();
  if (op.isChannelLast())
    return TileParams{{"l_tile", 64}, {"c_tile", 64}, {"threads", 128}};
  return TileParams{{"l_tile", 256}, {"c_tile", 4}, {"threads", 128}};
}

LogicalResult mlir::mamba::verifyCausalConv1dTile(CausalConv1dOp op,
                                                  TileAttr tile) {
  if (failed(checkTileNames(op, tile, {"l_tile", "c_tile", "threads"})))
    return failure();
  if (failed(requireStatic(op, convChannels(op), "channel count D")))
    return failure();
  auto pow2 = [](int64_t v) { return v > 0 && (v & (v - 1)) == 0; };
  if (failed(checkTileParam(
          op, tile, "l_tile", [&](int64_t v) { return pow2(v) && v <= 1024; },
          "a power of two <= 1024")) ||
      failed(checkTileParam(
          op, tile, "c_tile", [&](int64_t v) { return pow2(v) && v <= 256; },
          "a power of two <= 256")) ||
      failed(checkTileParam(
          op, tile, "threads",
          [&](int64_t v) { return v % 32 == 0 && v >= 32 && v <= 1024; },
          "a multiple of 32 in [32, 1024]")))
    return failure();
  if ((tile.get("l_tile") * tile.get("c_tile")) % tile.get("threads") != 0)
    return op.emitOpError() << "tile's l_tile * c_tile must be a multiple of "
                               "threads (each thread computes whole outputs)";
  return success();
}

FailureOr<KernelPlan> mlir::mamba::planCausalConv1d(CausalConv1dOp op,
                                                    TileAttr tile) {
  int64_t lt = tile.get("l_tile"), ct = tile.get("c_tile");
  int64_t w = op.getWidth();
  KernelPlan plan;
  plan.grid = {GridDim::of(GridDim::Seqlen, lt),
               GridDim::constant(ceilDiv(convChannels(op), ct)),
               GridDim::of(GridDim::Batch)};
  plan.block = {tile.get("threads"), 1, 1};
  // Staged inputs (f32) with one column of padding against bank conflicts,
  // plus the labels of the staged positions when seq_idx or cu_seqlens is
  // given.
  plan.smem = (lt + w - 1) * (ct + 1) * 4 +
              (op.getSeqIdx() || op.getCuSeqlens() ? (lt + w - 1) * 4 : 0);
  plan.minBlocksPerSM =
      std::max<int64_t>(1, std::min<int64_t>(4, 2048 / tile.get("threads")));
  return plan;
}

namespace {
struct TileCausalConv1dPass
    : public mlir::mamba::impl::TileCausalConv1dPassBase<TileCausalConv1dPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(
            tileMatchingOps(getOperation(), tile, arch, db, [](Operation *op) {
              return isa<CausalConv1dOp>(op);
            })))
      signalPassFailure();
  }
};
} // namespace
