//===- TileSelectiveScan.cpp - tile plan of mamba.selective_scan ----------===//
//
// The kernel (codegen/device/SelectiveScan.cuh) gives each warp
// `channels_per_warp` channels and each lane `items` consecutive steps of a
// chunk of 32 * items steps; `warps` warps form a block and share the staged
// per-token B and C, `n_tile` states at a time.
//
// Heuristic: the scan is bound by one exp per (channel, state, step); what
// else runs per step must stay small next to it. The warp-shuffle scan costs
// a fixed ~40 instructions per (state, lane), so each lane takes 16 steps to
// amortise it (items = 16), one channel per warp keeps the registers for
// that, 4 warps per block, n_tile = 8. Fewer warps are taken when they must
// divide the channels of a group.
//
// The tile {warps, steps} selects the state-parallel variant instead
// (selective_scan_by_state): min(N, 32) lanes per channel, each holding its
// states in registers and walking `steps` staged steps at a time. It keeps
// every lane busy when prompts are short and batches large.
//
//===----------------------------------------------------------------------===//

#include "passes/OpPlans.h"
#include "passes/Passes.h"
#include "passes/TileUtils.h"

#include <numeric>

#define DEBUG_TYPE "mamba-tile-selective-scan"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_TILESELECTIVESCANPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

/// Channels per group: every block must stay inside one group of B and of C.
static int64_t channelsPerGroup(SelectiveScanOp op, int64_t d) {
  int64_t perGroup = d;
  if (op.isVariableB())
    perGroup = std::gcd(perGroup, d / op.getNumGroups());
  if (op.isVariableC()) {
    int64_t gC = op.getC().getType().getRank() == 4
                     ? op.getC().getType().getDimSize(1)
                     : 1;
    perGroup = std::gcd(perGroup, d / gC);
  }
  return perGroup;
}

static int64_t itemBytes(SelectiveScanOp op) {
  return getElementTypeOrSelf(op.getU().getType()).getIntOrFloatBitWidth() / 8;
}

/// Two stages of the B and C tiles [n_tile][chunk] and of u, delta, z
/// [channels of the block][chunk] in the activation type, then the f32
/// carries (codegen/device/SelectiveScan.cuh).
static int64_t sharedBytes(SelectiveScanOp op, int64_t warps, int64_t cpw,
                           int64_t items, int64_t nTile) {
  int64_t elt = itemBytes(op), chunk = 32 * items;
  int64_t staged = (op.isVariableB() ? 1 : 0) + (op.isVariableC() ? 1 : 0);
  int64_t acts = 2 + (op.getZ() ? 1 : 0);
  return 2 * (staged * nTile * chunk + acts * warps * cpw * chunk) * elt +
         warps * cpw * op.getDState() * 4;
}

/// Lanes per channel of the state-parallel variant; 0 if d_state does not
/// fit it (it must divide 32 or be a multiple of 32).
static int64_t byStateLanes(SelectiveScanOp op) {
  int64_t n = op.getDState();
  if (n % 32 == 0)
    return 32;
  return 32 % n == 0 ? n : 0;
}

const StringRef mlir::mamba::kScanChunkedTileNames[4] = {
    "warps", "channels_per_warp", "items", "n_tile"};
const StringRef mlir::mamba::kScanByStateTileNames[2] = {"warps", "steps"};

bool mlir::mamba::isStateParallelScanTile(TileAttr tile) {
  return tile.lookup("steps").has_value();
}

/// f32 rows of `steps + 4`: dt, dt * u, u and y per channel of the block, B
/// and C per state when they vary per token.
static int64_t byStateSharedBytes(SelectiveScanOp op, int64_t warps,
                                  int64_t steps) {
  int64_t lanes = byStateLanes(op);
  int64_t channels = warps * (32 / lanes);
  int64_t staged = (op.isVariableB() ? 1 : 0) + (op.isVariableC() ? 1 : 0);
  return (4 * channels + staged * op.getDState()) * (steps + 4) * 4;
}

static int64_t channelsPerBlock(SelectiveScanOp op, TileAttr tile) {
  if (isStateParallelScanTile(tile))
    return tile.get("warps") * (32 / byStateLanes(op));
  return tile.get("warps") * tile.get("channels_per_warp");
}

FailureOr<TileParams>
mlir::mamba::heuristicSelectiveScanTile(SelectiveScanOp op,
                                        const TargetInfo &target) {
  FailureOr<int64_t> d =
      requireStatic(op, op.getNumChannels(), "channel count D");
  if (failed(d))
    return failure();
  int64_t perGroup = channelsPerGroup(op, *d);
  int64_t warps = 4;
  while (perGroup % warps != 0)
    warps /= 2;
  // B and C tiles of 8 states keep shared memory small enough for three
  // resident blocks.
  int64_t nTile = 8;
  // Shorter chunks when two blocks would not fit an SM's shared memory.
  int64_t items = 16;
  int64_t minItems = 16 / itemBytes(op);
  while (items > minItems &&
         2 * sharedBytes(op, warps, 1, items, nTile) > target.maxSmemPerBlock)
    items /= 2;
  return TileParams{{"warps", warps},
                    {"channels_per_warp", 1},
                    {"items", items},
                    {"n_tile", nTile}};
}

/// The parameters of the state-parallel tile {warps, steps}.
static LogicalResult verifyByStateParams(SelectiveScanOp op, TileAttr tile) {
  int64_t lanes = byStateLanes(op);
  if (lanes == 0)
    return op.emitOpError() << "the state-parallel tile {warps, steps} needs "
                               "a d_state that divides 32 or is a multiple "
                               "of 32, got "
                            << op.getDState();
  return failure(
      failed(checkTileParam(
          op, tile, "warps", [](int64_t v) { return v >= 1 && v <= 32; },
          "in [1, 32]")) ||
      failed(checkTileParam(
          op, tile, "steps",
          [&](int64_t v) {
            return v >= 4 && v <= 256 && v % 4 == 0 && v % lanes == 0;
          },
          ("in [4, 256], a multiple of 4 and of the " + std::to_string(lanes) +
           " lanes per channel")
              .c_str())));
}

/// The parameters of the chunked tile {warps, channels_per_warp, items,
/// n_tile}.
static LogicalResult verifyChunkedParams(SelectiveScanOp op, TileAttr tile) {
  int64_t vec = 16 / itemBytes(op);
  int64_t n = op.getDState();
  return failure(
      failed(checkTileParam(
          op, tile, "warps", [](int64_t v) { return v >= 1 && v <= 32; },
          "in [1, 32]")) ||
      failed(checkTileParam(
          op, tile, "channels_per_warp",
          [](int64_t v) { return v == 1 || v == 2 || v == 4; }, "1, 2 or 4")) ||
      failed(checkTileParam(
          op, tile, "items",
          [&](int64_t v) {
            return (v == 4 || v == 8 || v == 16) && v % vec == 0;
          },
          "4, 8 or 16, and a multiple of the 16-byte vector width")) ||
      failed(checkTileParam(
          op, tile, "n_tile",
          [&](int64_t v) { return v >= 1 && v <= 64 && n % v == 0; },
          "a divisor of d_state no larger than 64")));
}

FailureOr<TileParams>
mlir::mamba::shortSequenceSelectiveScanTile(SelectiveScanOp op) {
  int64_t lanes = byStateLanes(op);
  int64_t d = op.getNumChannels();
  if (lanes == 0 || d == ShapedType::kDynamic)
    return failure();
  int64_t perGroup = channelsPerGroup(op, d);
  for (int64_t warps : {4, 2, 1})
    if (perGroup % (warps * (32 / lanes)) == 0)
      return TileParams{{"warps", warps}, {"steps", 64}};
  return failure();
}

LogicalResult mlir::mamba::verifySelectiveScanTile(SelectiveScanOp op,
                                                   TileAttr tile) {
  bool byState = isStateParallelScanTile(tile);
  if (failed(checkTileNames(op, tile,
                            byState
                                ? ArrayRef<StringRef>(kScanByStateTileNames)
                                : ArrayRef<StringRef>(kScanChunkedTileNames))))
    return failure();
  FailureOr<int64_t> d =
      requireStatic(op, op.getNumChannels(), "channel count D");
  if (failed(d) || failed(byState ? verifyByStateParams(op, tile)
                                  : verifyChunkedParams(op, tile)))
    return failure();
  // Every block must stay inside one group of B and C.
  int64_t perBlock = channelsPerBlock(op, tile);
  int64_t perGroup = channelsPerGroup(op, *d);
  if (perGroup % perBlock != 0)
    return op.emitOpError()
           << "tile covers " << perBlock
           << " channels per block, which must divide the channels of a "
              "group of B/C ("
           << perGroup << ")";
  return success();
}

FailureOr<KernelPlan> mlir::mamba::planSelectiveScan(SelectiveScanOp op,
                                                     TileAttr tile) {
  int64_t d = op.getNumChannels(), n = op.getDState();
  KernelPlan plan;
  if (isStateParallelScanTile(tile)) {
    int64_t warps = tile.get("warps");
    plan.grid = {GridDim::constant(d / channelsPerBlock(op, tile)),
                 GridDim::of(GridDim::Batch), GridDim::constant(1)};
    plan.block = {warps * 32, 1, 1};
    plan.smem = byStateSharedBytes(op, warps, tile.get("steps"));
    // One value per (lane, step) of a group of min(N, 32) steps, the lane's
    // states (decay, state, B and C per state and step when it holds
    // several) and addressing.
    int64_t lanes = byStateLanes(op), k = n / lanes;
    int64_t budget =
        std::min<int64_t>(255, lanes + 4 * k + 48 + (k > 1 ? 8 * k : 0));
    plan.minBlocksPerSM = std::min<int64_t>(
        8, std::max<int64_t>(1, 65536 / (plan.threads() * budget)));
    return plan;
  }
  int64_t warps = tile.get("warps"), cpw = tile.get("channels_per_warp");
  int64_t items = tile.get("items"), nTile = tile.get("n_tile");
  plan.grid = {GridDim::constant(d / (warps * cpw)),
               GridDim::of(GridDim::Batch), GridDim::constant(1)};
  plan.block = {warps * 32, 1, 1};
  plan.smem = sharedBytes(op, warps, cpw, items, nTile);
  // Live registers per thread: dt, dt*u and the outputs per channel and item,
  // the a/b pairs and B/C values per item, plus addressing.
  int64_t estimate = 3 * cpw * items + 4 * items + 64;
  int64_t budget = std::min<int64_t>(255, (estimate + 7) / 8 * 8);
  plan.minBlocksPerSM = std::max<int64_t>(1, 65536 / (plan.threads() * budget));
  plan.minBlocksPerSM = std::min<int64_t>(plan.minBlocksPerSM, 8);
  return plan;
}

namespace {
struct TileSelectiveScanPass
    : public mlir::mamba::impl::TileSelectiveScanPassBase<
          TileSelectiveScanPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(
            tileMatchingOps(getOperation(), tile, arch, db, [](Operation *op) {
              return isa<SelectiveScanOp>(op);
            })))
      signalPassFailure();
  }
};
} // namespace
