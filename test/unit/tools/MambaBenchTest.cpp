//===- MambaBenchTest.cpp - `mamba-bench generate` on the CPU -------------===//
//
// The generation benchmark on a tiny random Mamba-2 shape given with
// --config: it prints its table and writes JSON whose numbers add up.
//
//===----------------------------------------------------------------------===//

#include "ToolTestUtils.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace mamba;
using namespace mamba::test;

namespace {

const std::string kMambaBench = fromEnv("MAMBA_BENCH", MAMBA_BENCH_PATH);
const std::string kTokenizer =
    fromEnv("MAMBA_TEST_DATA_DIR", MAMBA_TEST_DATA_DIR) +
    "/text/tiny-bytelevel.json";

const char *kMamba2Config = R"({"d_model": 32, "n_layer": 2,
  "vocab_size": 283, "pad_vocab_size_multiple": 16,
  "ssm_cfg": {"layer": "Mamba2", "d_state": 16, "headdim": 32,
              "chunk_size": 16}})";

TEST(MambaBenchGenerate, RandomConfigOnTheCpuPrintsTableAndJson) {
  TempDir dir;
  std::string config = dir.write("config.json", kMamba2Config);
  std::string json = dir.file("result.json");
  ToolRun r = runTool(shellQuote(kMambaBench) + " generate --config " +
                      shellQuote(config) +
                      " --device cpu --promptlen 20 --genlen 5 --batch 2 "
                      "--repeats 2 -q --json " +
                      shellQuote(json));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, "mamba-bench generate: " + config + " (random weights)");
  EXPECT_HAS(r.out, "batch 2 | prompt 20 | genlen 5 | greedy");
  EXPECT_HAS(r.out, "prefill (ms)");
  EXPECT_HAS(r.out, "decode (ms/token)");
  EXPECT_HAS(r.out, "generate total (ms)");
  EXPECT_HAS(r.out, "median");
  EXPECT_TRUE(r.err.empty()) << r.err; // -q

  nlohmann::json j = nlohmann::json::parse(readText(json), nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << readText(json);
  EXPECT_EQ(j["benchmark"], "generate");
  EXPECT_EQ(j["device"], "cpu");
  EXPECT_EQ(j["dtype"], "f16"); // the reference's default
  EXPECT_EQ(j["arch"], "Mamba2");
  EXPECT_EQ(j["batch"], 2);
  EXPECT_EQ(j["promptlen"], 20);
  EXPECT_EQ(j["genlen"], 5);
  EXPECT_EQ(j["repeats"], 2);
  EXPECT_EQ(j["sampling"]["greedy"], true);
  EXPECT_EQ(j["deterministic"], true);
  EXPECT_EQ(j["nan_logits"], false);
  EXPECT_GT(j["parameters"].get<int64_t>(), 0);
  for (const char *key :
       {"prefill_ms", "decode_ms_per_token", "total_ms", "decode_tokens_per_s",
        "host_sampling_ms_per_token"}) {
    const nlohmann::json &s = j[key];
    ASSERT_EQ(s["all"].size(), 2u) << key;
    EXPECT_GE(s["median"].get<double>(), 0) << key;
    EXPECT_LE(s["min"].get<double>(), s["median"].get<double>()) << key;
    EXPECT_LE(s["median"].get<double>(), s["max"].get<double>()) << key;
  }
  // total = prefill + genlen x decode-per-token, call by call.
  for (size_t i = 0; i < 2; ++i) {
    double total = j["total_ms"]["all"][i].get<double>();
    double parts = j["prefill_ms"]["all"][i].get<double>() +
                   5 * j["decode_ms_per_token"]["all"][i].get<double>();
    EXPECT_NEAR(total, parts, 1e-6 * total + 1e-9);
  }
}

TEST(MambaBenchGenerate, PromptTextAndSampling) {
  TempDir dir;
  std::string config = dir.write("config.json", kMamba2Config);
  ToolRun r =
      runTool(shellQuote(kMambaBench) + " generate --config " +
              shellQuote(config) + " --tokenizer " + shellQuote(kTokenizer) +
              " --prompt 'Hello world' --device cpu --dtype f32 "
              "--genlen 3 --repeats 1 --topk 0 --topp 0.9 "
              "--temperature 0.7 --seed 5 -q");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, "temperature 0.7, top-k 0, top-p 0.9");
  EXPECT_HAS(r.out, "f32 on CPU");
}

TEST(MambaBenchGenerate, BadInput) {
  TempDir dir;
  std::string config = dir.write("config.json", kMamba2Config);
  auto expectFailure = [](const ToolRun &r, const std::string &part) {
    EXPECT_EQ(r.status, 1) << r.command << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("mamba-bench: ", 0), 0u) << r.err;
    EXPECT_HAS(r.err, part);
  };
  std::string bench = shellQuote(kMambaBench) + " generate ";
  expectFailure(runTool(bench + "--random-model mamba-9b --device cpu"),
                "mamba-9b");
  expectFailure(runTool(bench + "--device cpu"), "exactly one of");
  expectFailure(runTool(bench + "--config " + shellQuote(config) +
                        " --prompt hi --device cpu -q"),
                "--prompt needs a tokenizer");
  expectFailure(runTool(bench + "--config " + shellQuote(config) +
                        " --topp 2 --device cpu -q"),
                "top-p");
  expectFailure(runTool(bench + "--config " + shellQuote(config) +
                        " --genlen 0 --device cpu -q"),
                "--genlen");
}

} // namespace
