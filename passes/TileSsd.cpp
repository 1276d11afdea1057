//===- TileSsd.cpp - tile plan of mamba.ssd -------------------------------===//
//
// The SSD runs as ONE fused kernel (codegen/device/Ssd.cuh) instead of the
// reference's five launches (chunk cumsum, chunk state, state passing, bmm,
// chunk scan). A block owns (batch row, head, `p_tile` channels of the head)
// and walks the chunks in order, keeping the p_tile x N state in f32
// registers, so the inter-chunk states never travel through global memory.
// Inside a chunk of `chunk` positions it forms C B^T, the masked decay
// matrix, Y = M X + C H^T, and the state update H = decay H + X_s^T B with
// tensor-core MMAs. The sequential walk costs parallelism only when
// batch * heads is small; then a smaller p_tile gives more blocks.
//
// Heuristic (figures in docs/performance.md): p_tile = headdim, capped so
// the state slice fits registers (p_tile * N <= 64 * 128, or 32 * 128 for
// f32), and halved (down to 32) while fewer than 66 blocks (half an H100's
// SMs) would run at the static batch, or at batch 1. Then the most warps an
// SM can hold: chunk 64 with 16 warps when the grid fits the SMs one block
// each, chunk 32 with 8 warps (two or three blocks an SM) when it does not,
// and smaller plans only when shared memory or the state's split rule out
// these.
//
// `segments` > 1 splits each sequence over that many blocks (grid z) at
// batch 1, and over max(1, segments / batch) at a larger batch, which fills
// the SMs by itself: the block of a later segment walks the earlier chunks
// for the state only (Ssd.cuh). The heuristic keeps 1 until the H100 has
// timed it (docs/performance.md); `tile=segments=3` selects it.
//
//===----------------------------------------------------------------------===//

#include "codegen/device/SsdLayout.h"
#include "passes/OpPlans.h"
#include "passes/Passes.h"
#include "passes/TileUtils.h"

#define DEBUG_TYPE "mamba-tile-ssd"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_TILESSDPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

static int64_t eltBytes(SsdOp op) {
  return getElementTypeOrSelf(op.getX().getType()).getIntOrFloatBitWidth() / 8;
}

FailureOr<TileParams> mlir::mamba::heuristicSsdTile(SsdOp op,
                                                    const TargetInfo &target) {
  int64_t batch = op.getX().getType().getDimSize(0);
  if (batch == ShapedType::kDynamic)
    batch = 1;
  int64_t p = op.getHeadDim(), h = op.getNumHeads(), n = op.getDState();
  // The state slice lives in registers: at most 64 x 128 f32 per block, half
  // that for f32 activations, whose 3xTF32 operand splits need registers too.
  int64_t stateLimit = eltBytes(op) == 4 ? 32 * 128 : 64 * 128;
  int64_t pTile = std::min<int64_t>(p, 64);
  while (pTile > 16 && pTile * n > stateLimit)
    pTile /= 2;
  // The warps share the state's p_tile x N MMA tiles (verifySsdTile): a
  // p_tile below 16 * warps needs N / 8 to split over the remaining warps, so
  // parallelism never halves p_tile into a plan the kernel cannot run.
  auto splits = [&](int64_t pt, int64_t warps) {
    int64_t mTiles = pt / 16;
    return mTiles >= warps || (n / 8) % (warps / mTiles) == 0;
  };
  // Each block walks its chunks in order, so the grid has only
  // batch * heads * (headdim / p_tile) blocks: below half of an H100's 132
  // SMs, halve p_tile (down to 32) for more of them.
  auto blocks = [&](int64_t pt) { return batch * h * (p / pt); };
  while (pTile > 32 && blocks(pTile) < 66 && splits(pTile / 2, 8))
    pTile /= 2;
  auto smem = [&](int64_t chunk, int64_t stages) {
    return ::mamba::ssd_layout(chunk, n, pTile, eltBytes(op),
                               op.getZ() != nullptr, op.getSeqIdx() != nullptr,
                               stages)
        .total;
  };
  // A plan the kernel can run: whole row tiles per warp group, Y's columns
  // split evenly, the state shared, `perSM` blocks in shared memory.
  auto runs = [&](int64_t chunk, int64_t warps, int64_t stages, int64_t perSM) {
    int64_t split = warps / (chunk / 16);
    return split >= 1 && (pTile / 8) % split == 0 && splits(pTile, warps) &&
           perSM * smem(chunk, stages) <= target.maxSmemPerBlock;
  };
  // The walk is latency-bound, so what counts is the warps an SM holds
  // (measured on the H100, docs/performance.md):
  // - a grid that fits the SMs one block each: chunk 64 with 16 warps (four
  //   per 16-row tile), two stages;
  // - a larger grid: chunk 32 with 8 warps (four per row tile) and two
  //   stages, small enough for two or three blocks an SM (d_state up to
  //   128: the 128 registers a thread of two blocks gets hold no more);
  // - otherwise chunk 64 with 8, then 4 warps, then chunk 32 with 2 warps
  //   (shared memory or the state's split rule out the others), two stages
  //   when two blocks still fit an SM.
  int64_t chunk = 32, warps = 2, stages = 1;
  if (blocks(pTile) <= 132 && runs(64, 16, 2, 1)) {
    chunk = 64, warps = 16, stages = 2;
  } else if (blocks(pTile) > 132 && n <= 128 && runs(32, 8, 2, 2)) {
    chunk = 32, warps = 8, stages = 2;
  } else {
    for (int64_t w : {8, 4})
      if (runs(64, w, 1, 1)) {
        chunk = 64, warps = w;
        break;
      }
    stages = runs(chunk, warps, 2, 2) ? 2 : 1;
  }
  return TileParams{{"chunk", chunk},
                    {"p_tile", pTile},
                    {"warps", warps},
                    {"stages", stages},
                    {"segments", 1}};
}

LogicalResult mlir::mamba::verifySsdTile(SsdOp op, TileAttr tile) {
  if (failed(checkTileNames(
          op, tile, {"chunk", "p_tile", "warps", "stages", "segments"})))
    return failure();
  int64_t p = op.getHeadDim();
  if (failed(checkTileParam(
          op, tile, "chunk",
          [](int64_t v) { return v == 32 || v == 64 || v == 128; },
          "32, 64 or 128")) ||
      failed(checkTileParam(
          op, tile, "p_tile",
          [&](int64_t v) {
            return (v == 16 || v == 32 || v == 64 || v == 128) && p % v == 0;
          },
          "16, 32, 64 or 128, dividing headdim")) ||
      failed(checkTileParam(
          op, tile, "warps",
          [](int64_t v) { return v == 2 || v == 4 || v == 8 || v == 16; },
          "2, 4, 8 or 16")) ||
      failed(checkTileParam(
          op, tile, "stages", [](int64_t v) { return v == 1 || v == 2; },
          "1 or 2")) ||
      failed(checkTileParam(
          op, tile, "segments", [](int64_t v) { return v >= 1 && v <= 8; },
          "1 to 8")))
    return failure();
  // The chunk's rows are split across warps in 16-row MMA tiles, each tile
  // shared by warps that split its p_tile columns (8 at a time);
  // the state's p_tile x N tiles are split by rows first, then by columns.
  int64_t warps = tile.get("warps"), q = tile.get("chunk");
  int64_t mTiles = tile.get("p_tile") / 16, nTiles = op.getDState() / 8;
  int64_t rowTiles = q / 16;
  if (warps % rowTiles != 0)
    return op.emitOpError()
           << "tile must give each 16-row tile of the chunk the same number "
              "of warps: warps must be a multiple of chunk / 16 = "
           << rowTiles << ", got " << warps;
  int64_t split = warps / rowTiles;
  if ((tile.get("p_tile") / 8) % split != 0)
    return op.emitOpError() << "tile cannot split the " << tile.get("p_tile")
                            << " columns of a row tile over " << split
                            << " warps in 8-column tiles";
  if (mTiles < warps && nTiles % (warps / mTiles) != 0)
    return op.emitOpError()
           << "tile cannot split the " << tile.get("p_tile") << " x "
           << op.getDState() << " state over " << warps << " warps";
  return success();
}

FailureOr<KernelPlan> mlir::mamba::planSsd(SsdOp op, TileAttr tile) {
  int64_t q = tile.get("chunk"), pTile = tile.get("p_tile");
  KernelPlan plan;
  plan.grid = {GridDim::constant(op.getNumHeads() * (op.getHeadDim() / pTile)),
               GridDim::of(GridDim::Batch),
               GridDim::perBatch(tile.get("segments"))};
  plan.block = {tile.get("warps") * 32, 1, 1};
  ::mamba::SsdLayout layout = ::mamba::ssd_layout(
      q, op.getDState(), pTile, eltBytes(op), op.getZ() != nullptr,
      op.getSeqIdx() != nullptr, tile.get("stages"));
  plan.smem = layout.total;
  // Eight warps: two blocks per SM (at most 128 registers a thread) when
  // two fit sm_90's shared memory (elsewhere the bound only caps registers).
  // Sixteen warps get 128 registers with one block.
  plan.minBlocksPerSM =
      plan.threads() == 256 && 2 * layout.total <= TargetInfo().maxSmemPerBlock
          ? 2
          : 1;
  return plan;
}

namespace {
struct TileSsdPass : public mlir::mamba::impl::TileSsdPassBase<TileSsdPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(tileMatchingOps(getOperation(), tile, arch, db,
                               [](Operation *op) { return isa<SsdOp>(op); })))
      signalPassFailure();
  }
};
} // namespace
