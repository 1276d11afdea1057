//===- DemoModelTest.cpp - the committed demo model against PyTorch -------===//
//
// models/demo/reference.json holds what PyTorch computed from the saved
// checkpoint (scripts/train_demo.py): the held-out perplexity and a greedy
// continuation. `mamba-run` on the CPU must reproduce both: the perplexity to
// three significant digits, the greedy tokens exactly.
//
//===----------------------------------------------------------------------===//

#include "ToolTestUtils.h"

#include <nlohmann/json.hpp>

#include <regex>

using namespace mamba;
using namespace mamba::test;

namespace {

const std::string kDemo =
    fromEnv("MAMBA_DEMO_MODEL", MAMBA_DEMO_MODEL_DIR);

nlohmann::json reference() {
  std::ifstream in(kDemo + "/reference.json");
  return nlohmann::json::parse(in, nullptr, false);
}

TEST(DemoModel, PerplexityMatchesPyTorch) {
  nlohmann::json ref = reference();
  ASSERT_FALSE(ref.is_discarded()) << kDemo;
  double want = ref["heldout_perplexity"]["perplexity"].get<double>();
  ToolRun r = runTool(shellQuote(fromEnv("MAMBA_RUN", MAMBA_RUN_PATH)) + " --model " + shellQuote(kDemo) +
                      " --device cpu -q --perplexity " +
                      shellQuote(kDemo + "/heldout.txt"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("perplexity: ([0-9.]+)")))
      << r.out;
  double got = std::stod(m[1]);
  // Three significant digits.
  EXPECT_LT(std::fabs(got - want) / want, 5e-4) << got << " vs " << want;
}

TEST(DemoModel, GreedyContinuationMatchesPyTorch) {
  nlohmann::json ref = reference();
  ASSERT_FALSE(ref.is_discarded()) << kDemo;
  const nlohmann::json &g = ref["greedy"];
  ToolRun r = runTool(shellQuote(fromEnv("MAMBA_RUN", MAMBA_RUN_PATH)) + " --model " + shellQuote(kDemo) +
                      " --device cpu -q --temperature 0 --repetition-penalty 1"
                      " --max-new-tokens " +
                      std::to_string(g["new_tokens"].get<int>()) +
                      " --prompt " + shellQuote(g["prompt"].get<std::string>()));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, g["full_text"].get<std::string>());
}

} // namespace
