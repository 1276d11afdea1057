//===- TunerGpuTest.cpp - mamba-tune's tuner end to end on one op ---------===//
//
// Tunes a small SSD on the GPU: the heuristic's tile comes first, a candidate
// whose output is corrupted (the test hook) is rejected by the check and
// never timed, the winner is timed and recorded, and the tile passes then
// pick the recorded tile from the database (tile_source = "db").
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtils.h"
#include "Tuner.h"

#include "dialect/MambaDialect.h"
#include "frontend/OpSpecs.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

using namespace mamba;
using namespace mlir::mamba;

TEST(TunerGpu, TunesOneSsdAndTheDbServesIt) {
  test::GpuFixture &fx = test::GpuFixture::get();
  if (!fx.gpu)
    GTEST_SKIP() << "no GPU: " << fx.why;
  mlir::DialectRegistry registry;
  registry.insert<MambaDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  SsdSpec spec;
  spec.heads = 8;
  spec.headdim = 64;
  spec.dstate = 64;
  std::string text = toMlir(spec);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, &context);
  ASSERT_TRUE(module);

  TuneOptions options;
  options.batches = {1};
  options.seqlens = {300};
  options.space.maxCandidates = 6;
  options.repeats = 5;
  options.corruptCandidate = 1;
  Result<std::vector<OpTuning>> tuned = tuneModule(fx.gpu, *module, options);
  ASSERT_TRUE(tuned.ok()) << tuned.error();
  ASSERT_EQ(tuned->size(), 1u);
  const OpTuning &t = (*tuned)[0];
  ASSERT_TRUE(t.skipped.empty()) << t.skipped;
  ASSERT_GE(t.candidates.size(), 3u);
  EXPECT_EQ(t.points, (std::vector<std::pair<int64_t, int64_t>>{{1, 300}}));
  EXPECT_TRUE(t.candidates[0].reject.empty());
  ASSERT_EQ(t.candidates[0].us.size(), 1u);
  EXPECT_NE(t.candidates[1].reject.find("wrong"), std::string::npos)
      << t.candidates[1].reject;
  EXPECT_TRUE(t.candidates[1].us.empty());
  ASSERT_NE(t.best, 1);
  const CandidateResult &w = t.candidates[size_t(t.best)];
  EXPECT_TRUE(w.reject.empty());
  ASSERT_EQ(w.us.size(), 1u);
  EXPECT_GT(w.us[0], 0);
  // Another tile only where it is at least minGain faster.
  EXPECT_TRUE(t.best == 0 ||
              w.us[0] <= (1 - options.minGain) * t.candidates[0].us[0]);
  EXPECT_LT(w.error, 1e-2);
  EXPECT_EQ(t.record.tile, w.tile);
  EXPECT_DOUBLE_EQ(*t.record.us, w.us[0]);
  EXPECT_DOUBLE_EQ(*t.record.heuristicUs, t.candidates[0].us[0]);

  // The recorded tile is what the passes now choose for this op.
  std::string db = (std::filesystem::temp_directory_path() /
                    ("mamba-tuner-" + std::to_string(getpid()) + ".json"))
                       .string();
  std::string error;
  ASSERT_TRUE(mlir::succeeded(
      TuningDb::mergeInto(db, fx.gpu->arch(), {t.record}, error)))
      << error;
  mlir::OwningOpRef<mlir::ModuleOp> fresh =
      mlir::parseSourceString<mlir::ModuleOp>(text, &context);
  mlir::PassManager pm(&context);
  MambaToCudaOptions planOptions;
  planOptions.arch = fx.gpu->arch();
  planOptions.db = db;
  buildMambaToCudaPipeline(pm, planOptions);
  ASSERT_TRUE(mlir::succeeded(pm.run(*fresh)));
  int found = 0;
  fresh->walk([&](SsdOp op) {
    ++found;
    auto source = op->getAttrOfType<mlir::StringAttr>(kTileSourceAttr);
    ASSERT_TRUE(source);
    EXPECT_EQ(source.getValue(), "db");
    TileParams got;
    for (const TileParam &p : op->getAttrOfType<TileAttr>("tile").getParams())
      got.emplace_back(p.name.getValue().str(), p.value);
    EXPECT_EQ(got, w.tile);
  });
  EXPECT_EQ(found, 1);
  std::filesystem::remove(db);
  std::filesystem::remove(db + ".lock");
}
