//===- TileSpaceTest.cpp - the tuner's search space and its pruning -------===//
//
// Every candidate verifies and has a launch plan the target can run; the
// heuristic comes first and the rest by distance from it; the pruning rules
// (launch limits, occupancy, the candidate limit) drop what they say, and
// never the heuristic; selective_scan's two kernel variants both appear.
//
//===----------------------------------------------------------------------===//

#include "passes/TileSpace.h"
#include "dialect/MambaDialect.h"
#include "frontend/OpSpecs.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::mamba;

namespace {

struct Parsed {
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  Operation *op = nullptr;

  explicit Parsed(const std::string &text) {
    DialectRegistry registry;
    registry.insert<MambaDialect, arith::ArithDialect, func::FuncDialect,
                    tensor::TensorDialect>();
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    module = parseSourceString<ModuleOp>(text, &context);
    if (module)
      module->walk([&](Operation *o) {
        if (isKernelOp(o))
          op = o;
      });
  }
};

std::string ssdText() {
  ::mamba::SsdSpec s;
  s.heads = 80;
  s.headdim = 64;
  s.dstate = 128;
  return ::mamba::toMlir(s);
}

TargetInfo target(const char *arch) { return *TargetInfo::get(arch); }

std::vector<TileCandidate> candidatesOf(Operation *op, const TargetInfo &t,
                                        const TileSpaceOptions &o,
                                        TileSpaceStats &stats) {
  FailureOr<std::vector<TileCandidate>> c = enumerateTiles(op, t, o, &stats);
  EXPECT_TRUE(succeeded(c));
  return succeeded(c) ? *c : std::vector<TileCandidate>{};
}

} // namespace

TEST(TileSpace, CandidatesVerifyAndComeNearestFirst) {
  Parsed p(ssdText());
  ASSERT_TRUE(p.op);
  TileSpaceOptions o;
  o.maxCandidates = 0;
  TileSpaceStats stats;
  std::vector<TileCandidate> all =
      candidatesOf(p.op, target("sm_90"), o, stats);
  ASSERT_GT(all.size(), 10u);
  EXPECT_TRUE(all[0].heuristic);
  EXPECT_EQ(all[0].params, *heuristicTile(p.op, target("sm_90")));
  EXPECT_EQ(stats.verified, int64_t(all.size()) + stats.prunedLaunch +
                                stats.prunedRegisters + stats.prunedOccupancy);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_TRUE(
        succeeded(verifyTile(p.op, tileAttr(&p.context, all[i].params))))
        << tileText(all[i].params);
    EXPECT_LE(all[i].plan.smem, target("sm_90").maxSmemPerBlock);
    if (i > 1)
      EXPECT_LE(all[i - 1].distance, all[i].distance);
    for (size_t j = 0; j < i; ++j)
      EXPECT_NE(all[i].params, all[j].params);
  }

  o.maxCandidates = 5;
  std::vector<TileCandidate> few =
      candidatesOf(p.op, target("sm_90"), o, stats);
  ASSERT_EQ(few.size(), 5u);
  EXPECT_EQ(stats.cut, int64_t(all.size()) - 5);
  for (size_t i = 0; i < few.size(); ++i)
    EXPECT_EQ(few[i].params, all[i].params);
}

TEST(TileSpace, LaunchLimitsAndOccupancyPrune) {
  Parsed p(ssdText());
  ASSERT_TRUE(p.op);
  TileSpaceOptions o;
  o.maxCandidates = 0;
  TileSpaceStats h100, ada;
  std::vector<TileCandidate> big = candidatesOf(p.op, target("sm_90"), o, h100);
  std::vector<TileCandidate> small =
      candidatesOf(p.op, target("sm_89"), o, ada);
  // sm_89 has 99 KiB of shared memory a block against the H100's 227.
  EXPECT_GT(ada.prunedLaunch, h100.prunedLaunch);
  EXPECT_LT(small.size(), big.size());
  for (const TileCandidate &c : small)
    EXPECT_LE(c.plan.smem, target("sm_89").maxSmemPerBlock);

  // Asking for more resident warps than any plan gives prunes every tile but
  // the heuristic, which is always kept.
  o.minWarpsPerSM = 100;
  TileSpaceStats strict;
  std::vector<TileCandidate> none =
      candidatesOf(p.op, target("sm_90"), o, strict);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_TRUE(none[0].heuristic);
  EXPECT_EQ(strict.prunedOccupancy,
            strict.verified - strict.prunedLaunch - strict.prunedRegisters);
}

TEST(TileSpace, SelectiveScanHasBothVariants) {
  ::mamba::SelectiveScanSpec s;
  s.channels = 1536;
  s.dstate = 16;
  Parsed p(::mamba::toMlir(s));
  ASSERT_TRUE(p.op);
  TileSpaceOptions o;
  o.maxCandidates = 0;
  TileSpaceStats stats;
  std::vector<TileCandidate> all =
      candidatesOf(p.op, target("sm_90"), o, stats);
  auto hasParam = [](const TileCandidate &c, const char *name) {
    for (const auto &p : c.params)
      if (p.first == name)
        return true;
    return false;
  };
  int chunked = 0, byState = 0;
  for (const TileCandidate &c : all) {
    chunked += hasParam(c, "items");
    byState += hasParam(c, "steps");
    // The other variant is at least 4 away.
    if (hasParam(c, "steps"))
      EXPECT_GE(c.distance, 4);
  }
  EXPECT_GT(chunked, 1);
  EXPECT_GT(byState, 1);
}

TEST(TileSpace, IsolatedOpFuncs) {
  Parsed p(ssdText());
  ASSERT_TRUE(p.op);
  OwningOpRef<ModuleOp> m = ModuleOp::create(p.op->getLoc());
  TileParams tile = *heuristicTile(p.op, target("sm_90"));
  func::FuncOp gpu = addIsolatedOpFunc(*m, p.op, "gpu", &tile);
  func::FuncOp ref = addIsolatedOpFunc(*m, p.op, "ref", nullptr, true);
  EXPECT_TRUE(succeeded(mlir::verify(m->getOperation())));
  Operation *g = &gpu.getBody().front().front();
  Operation *r = &ref.getBody().front().front();
  EXPECT_TRUE(g->hasAttr("tile"));
  EXPECT_FALSE(r->hasAttr("tile"));
  EXPECT_TRUE(
      cast<ShapedType>(g->getOperand(0).getType()).getElementType().isBF16());
  for (Type t : r->getOperandTypes())
    EXPECT_TRUE(cast<ShapedType>(t).getElementType().isF32());
  for (Type t : r->getResultTypes())
    EXPECT_TRUE(cast<ShapedType>(t).getElementType().isF32());
}
