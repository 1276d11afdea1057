//===- TileSsd.cpp - tile plan of mamba.ssd --------------------------------===//
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
// Heuristic: chunk 64 with 4 warps (32 with 2 warps when the chunk's C and B
// would not fit the target's shared memory), two stages when two blocks
// still fit an SM (each warp owns 16 rows; the Q x Q
// intra-chunk product stays a small share of the work); p_tile = headdim,
// capped so the state slice fits registers (p_tile * N <= 64 * 128, or
// 32 * 128 for f32), and
// halved (down to 32) while fewer than ~132 blocks (one H100's SMs) would run
// at the static batch, or at batch 1, and the warps can still share the
// state's MMA tiles (chunk 32 with 2 warps when 4 warps cannot).
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
  while (pTile > 32 && batch * h * (p / pTile) < 132 && splits(pTile / 2, 4))
    pTile /= 2;
  // Shared memory is dominated by the C and B tiles of a chunk; halve the
  // chunk (and the warps) when they would not fit the target's shared memory,
  // or when 4 warps cannot share the state (headdim 32 with d_state 8 or 24,
  // say).
  auto smem = [&](int64_t chunk, int64_t stages) {
    return ::mamba::ssd_layout(chunk, n, pTile, eltBytes(op),
                               op.getZ() != nullptr, op.getSeqIdx() != nullptr,
                               stages)
        .total;
  };
  int64_t chunk = 64, warps = 4;
  if (smem(chunk, 1) > target.maxSmemPerBlock || !splits(pTile, warps)) {
    chunk = 32;
    warps = 2;
  }
  // Two stages overlap the next chunk's loads with this chunk's math; keep
  // them when two blocks still fit an SM's shared memory (so one block's
  // barriers hide behind the other's work).
  int64_t stages = 2 * smem(chunk, 2) <= target.maxSmemPerBlock ? 2 : 1;
  return TileParams{{"chunk", chunk},
                    {"p_tile", pTile},
                    {"warps", warps},
                    {"stages", stages}};
}

LogicalResult mlir::mamba::verifySsdTile(SsdOp op, TileAttr tile) {
  if (failed(checkTileNames(op, tile, {"chunk", "p_tile", "warps", "stages"})))
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
          [](int64_t v) { return v == 2 || v == 4 || v == 8; },
          "2, 4 or 8")) ||
      failed(checkTileParam(
          op, tile, "stages", [](int64_t v) { return v == 1 || v == 2; },
          "1 or 2")))
    return failure();
  // The chunk's rows are split across warps in 16-row MMA tiles; the state's
  // p_tile x N tiles are split by rows first, then by columns.
  int64_t warps = tile.get("warps"), q = tile.get("chunk");
  int64_t mTiles = tile.get("p_tile") / 16, nTiles = op.getDState() / 8;
  if (q != 16 * warps)
    return op.emitOpError() << "tile must give each of the " << warps
                            << " warps 16 rows of the chunk: needs chunk = "
                            << 16 * warps << ", got " << q;
  if (mTiles < warps && nTiles % (warps / mTiles) != 0)
    return op.emitOpError() << "tile cannot split the " << tile.get("p_tile")
                            << " x " << op.getDState() << " state over "
                            << warps << " warps";
  return success();
}

FailureOr<KernelPlan> mlir::mamba::planSsd(SsdOp op, TileAttr tile) {
  int64_t q = tile.get("chunk"), pTile = tile.get("p_tile");
  KernelPlan plan;
  plan.grid = {GridDim::constant(op.getNumHeads() * (op.getHeadDim() / pTile)),
               GridDim::of(GridDim::Batch), GridDim::constant(1)};
  plan.block = {tile.get("warps") * 32, 1, 1};
  ::mamba::SsdLayout layout = ::mamba::ssd_layout(
      q, op.getDState(), pTile, eltBytes(op), op.getZ() != nullptr,
      op.getSeqIdx() != nullptr, tile.get("stages"));
  plan.smem = layout.total;
  plan.minBlocksPerSM = 1;
  return plan;
}

namespace {
struct TileSsdPass : public mlir::mamba::impl::TileSsdPassBase<TileSsdPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(tileMatchingOps(getOperation(), tile, arch,
                               [](Operation *op) { return isa<SsdOp>(op); })))
      signalPassFailure();
  }
};
} // namespace
