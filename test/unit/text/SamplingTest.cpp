//===- SamplingTest.cpp - sampled frequencies against exact probabilities -===//
//
// Each distribution test draws 200k ids from one 5-logit row and checks every
// id's frequency against its exact probability, worked out by hand below,
// within 5 standard errors (a false alarm about once in 3 million per id).
// Ids of probability 0 must never be drawn.
//
//===----------------------------------------------------------------------===//

#include "runtime/text/Sampling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mamba;
using namespace mamba::text;
using Probs = std::vector<double>;

namespace {

constexpr int kDraws = 200000;
const std::vector<float> kRow = {2.0f, 1.0f, 0.5f, 0.0f, -1.0f};

Sampler makeSampler(const SamplingConfig &config) {
  Result<Sampler> sampler = Sampler::create(config);
  EXPECT_TRUE(sampler.ok()) << sampler.error();
  return sampler.take();
}

/// softmax(weights) where weights are already exp(logit): normalizes.
Probs normalize(Probs weights) {
  double total = 0;
  for (double w : weights)
    total += w;
  for (double &w : weights)
    w /= total;
  return weights;
}

void expectFrequencies(SamplingConfig config, const std::vector<float> &row,
                       const Probs &expected,
                       const std::vector<int32_t> &history = {}) {
  Sampler sampler = makeSampler(config);
  std::vector<int> counts(row.size(), 0);
  for (int i = 0; i < kDraws; ++i) {
    int32_t id =
        sampler.sample(row.data(), static_cast<int64_t>(row.size()), history);
    ASSERT_GE(id, 0);
    ASSERT_LT(id, static_cast<int32_t>(row.size()));
    ++counts[id];
  }
  for (size_t id = 0; id < row.size(); ++id) {
    double p = expected[id];
    double frequency = static_cast<double>(counts[id]) / kDraws;
    if (p == 0.0) {
      EXPECT_EQ(counts[id], 0) << "id " << id;
      continue;
    }
    double stderror = std::sqrt(p * (1 - p) / kDraws);
    EXPECT_NEAR(frequency, p, 5 * stderror) << "id " << id;
  }
}

TEST(Sampling, PlainSoftmax) {
  // exp(2), exp(1), exp(0.5), exp(0), exp(-1) over their sum 13.1239:
  // 0.5630, 0.2071, 0.1256, 0.0762, 0.0280.
  expectFrequencies({}, kRow,
                    normalize({std::exp(2.0), std::exp(1.0), std::exp(0.5), 1.0,
                               std::exp(-1.0)}));
}

TEST(Sampling, Temperature) {
  SamplingConfig config;
  config.temperature = 0.5f;
  // Logits doubled: exp(4), exp(2), exp(1), 1, exp(-2).
  expectFrequencies(config, kRow,
                    normalize({std::exp(4.0), std::exp(2.0), std::exp(1.0), 1.0,
                               std::exp(-2.0)}));
  config.temperature = 2.0f;
  expectFrequencies(config, kRow,
                    normalize({std::exp(1.0), std::exp(0.5), std::exp(0.25),
                               1.0, std::exp(-0.5)}));
}

TEST(Sampling, TopK) {
  SamplingConfig config;
  config.topK = 2;
  // Only logits 2 and 1 survive: e / (e + 1) = 0.7311, 1 / (e + 1) = 0.2689.
  expectFrequencies(config, kRow,
                    normalize({std::exp(2.0), std::exp(1.0), 0, 0, 0}));
  config.topK = 3;
  config.temperature = 0.5f;
  expectFrequencies(
      config, kRow,
      normalize({std::exp(4.0), std::exp(2.0), std::exp(1.0), 0, 0}));
}

TEST(Sampling, TopKTiesGoToLowerIds) {
  SamplingConfig config;
  config.topK = 2;
  // Three logits tie for the top; ids 0 and 2 are kept.
  expectFrequencies(config, {3.0f, 1.0f, 3.0f, 3.0f, 0.0f},
                    {0.5, 0, 0.5, 0, 0});
  // A long row takes the heap path: ids 10, 20 and 500 tie at 5 above the
  // rest, and with k = 2 only 10 and 20 stay.
  std::vector<float> row(1000, 0.0f);
  row[900] = 4.0f;
  row[10] = row[20] = row[500] = 5.0f;
  Probs expected(1000, 0.0);
  expected[10] = expected[20] = 0.5;
  expectFrequencies(config, row, expected);
  config.topK = 4;
  expected[10] = expected[20] = expected[500] = std::exp(1.0);
  expected[900] = 1.0;
  expectFrequencies(config, row, normalize(expected));
}

TEST(Sampling, TopP) {
  SamplingConfig config;
  config.topP = 0.7f;
  // Ascending probabilities 0.0280, 0.0762, 0.1256, 0.2071, 0.5630 have the
  // running sums 0.0280, 0.1042, 0.2299, 0.4370, 1. Those <= 1 - 0.7 = 0.3
  // go: ids 4, 3, 2. Ids 0 and 1 (mass 0.770 >= 0.7) stay.
  expectFrequencies(config, kRow,
                    normalize({std::exp(2.0), std::exp(1.0), 0, 0, 0}));
  config.topP = 0.8f;
  // Limit 0.2: ids 4 and 3 go (0.1042 <= 0.2 < 0.2299).
  expectFrequencies(
      config, kRow,
      normalize({std::exp(2.0), std::exp(1.0), std::exp(0.5), 0, 0}));
  // 0 and 1 both disable top-p, as in the reference.
  for (float off : {0.0f, 1.0f}) {
    config.topP = off;
    expectFrequencies(config, kRow,
                      normalize({std::exp(2.0), std::exp(1.0), std::exp(0.5),
                                 1.0, std::exp(-1.0)}));
  }
}

TEST(Sampling, TopPAfterTopK) {
  SamplingConfig config;
  config.topK = 3;
  config.topP = 0.8f;
  // Within the top 3, probabilities are e^2, e, e^0.5 over 11.756:
  // 0.6285, 0.2312, 0.1402. Ascending sums 0.1402, 0.3715: only id 2
  // (<= 0.2) goes.
  expectFrequencies(config, kRow,
                    normalize({std::exp(2.0), std::exp(1.0), 0, 0, 0}));
}

TEST(Sampling, MinPIsRelativeToThisRowsMax) {
  SamplingConfig config;
  config.minP = 0.3f;
  // Id 0 is not the largest logit here. Kept: p >= 0.3 * p_max, i.e.
  // logit >= 3 + ln 0.3 = 1.796: ids 1 and 2. The reference's rule would
  // compare logits with 0.3 * logits[0] = 0 and keep ids 0 to 3.
  std::vector<float> row = {0.0f, 3.0f, 2.5f, 1.0f, -1.0f};
  expectFrequencies(config, row,
                    normalize({0, std::exp(3.0), std::exp(2.5), 0, 0}));
}

TEST(Sampling, MinPWithTemperature) {
  SamplingConfig config;
  config.minP = 0.2f;
  config.temperature = 2.0f;
  // After temperature, p_i / p_max = exp((l_i - 2) / 2) >= 0.2 keeps
  // l_i >= 2 + 2 ln 0.2 = -1.219: all five ids.
  expectFrequencies(config, kRow,
                    normalize({std::exp(1.0), std::exp(0.5), std::exp(0.25),
                               1.0, std::exp(-0.5)}));
  config.temperature = 0.5f;
  // l_i >= 2 + 0.5 ln 0.2 = 1.195: id 0 alone.
  expectFrequencies(config, kRow, {1, 0, 0, 0, 0});
}

TEST(Sampling, RepetitionPenalty) {
  SamplingConfig config;
  config.repetitionPenalty = 2.0f;
  // History 0, 0, 4: logit 2 -> 1 (divided once, though 0 occurs twice),
  // logit -1 -> -2 (multiplied). Row: 1, 1, 0.5, 0, -2.
  expectFrequencies(config, kRow,
                    normalize({std::exp(1.0), std::exp(1.0), std::exp(0.5), 1.0,
                               std::exp(-2.0)}),
                    {0, 0, 4});
}

TEST(Sampling, AllStagesInOrder) {
  SamplingConfig config;
  config.repetitionPenalty = 1.5f;
  config.topK = 4;
  config.temperature = 0.5f;
  config.topP = 0.95f;
  config.minP = 0.05f;
  // Penalty (history {0}): logit 2 -> 1.3333. Row: 1.3333, 1, 0.5, 0, -1.
  // Top 4: ids 0..3. Temperature: 2.6667, 2, 1, 0. Weights e^2.6667 =
  // 14.392, e^2 = 7.389, e^1 = 2.718, 1; total 25.499; probabilities
  // 0.5644, 0.2898, 0.1066, 0.0392. Top-p: ascending sum 0.0392 <= 0.05
  // drops id 3; 0.1458 stays. Min-p: 0.1066 >= 0.05 * 0.5644 keeps the rest.
  expectFrequencies(
      config, kRow,
      normalize({std::exp(8.0 / 3.0), std::exp(2.0), std::exp(1.0), 0, 0}),
      {0});
}

TEST(Sampling, GreedyIsArgmax) {
  std::vector<float> row = {0.5f, 3.0f, -2.0f, 3.0f, 1.0f};
  SamplingConfig zeroTemperature;
  zeroTemperature.temperature = 0.0f;
  SamplingConfig topOne;
  topOne.topK = 1;
  topOne.temperature = 5.0f;
  topOne.topP = 0.5f;
  for (const SamplingConfig &config : {zeroTemperature, topOne}) {
    EXPECT_TRUE(config.isGreedy());
    Sampler sampler = makeSampler(config);
    for (int i = 0; i < 100; ++i)
      // The lowest id among equal maxima.
      EXPECT_EQ(sampler.sample(row.data(), 5, {}), 1);
  }
  // The penalty comes first: id 1 repeated falls to 1.5 < 3.
  SamplingConfig penalized = zeroTemperature;
  penalized.repetitionPenalty = 2.0f;
  Sampler sampler = makeSampler(penalized);
  EXPECT_EQ(sampler.sample(row.data(), 5, {1, 1, 1}), 3);
  // Both maxima fall to 1.5, still above id 4's 1.
  EXPECT_EQ(sampler.sample(row.data(), 5, {1, 3}), 1);
  EXPECT_EQ(sampler.sample(row.data(), 5, {1, 3, 4}), 1);
}

TEST(Sampling, SeedsReproduce) {
  SamplingConfig config;
  config.seed = 1234;
  Sampler a = makeSampler(config), b = makeSampler(config);
  config.seed = 1235;
  Sampler c = makeSampler(config);
  std::vector<int32_t> drawsA, drawsB, drawsC;
  for (int i = 0; i < 1000; ++i) {
    drawsA.push_back(a.sample(kRow.data(), 5, {}));
    drawsB.push_back(b.sample(kRow.data(), 5, {}));
    drawsC.push_back(c.sample(kRow.data(), 5, {}));
  }
  EXPECT_EQ(drawsA, drawsB);
  EXPECT_NE(drawsA, drawsC);
  // mt19937_64's sequence is fixed by the C++ standard and the uniform is
  // derived from its raw output, so these draws are the same on every
  // platform and compiler.
  std::vector<int32_t> first(drawsA.begin(), drawsA.begin() + 16);
  EXPECT_EQ(first, (std::vector<int32_t>{3, 0, 4, 3, 0, 3, 2, 3, 0, 1, 3, 0, 0,
                                         4, 0, 1}));
}

TEST(Sampling, VocabLimitExcludesPaddedRows) {
  // Rows 5 to 7 are vocabulary padding with large garbage logits.
  std::vector<float> row = {2.0f, 1.0f, 0.5f, 0.0f, -1.0f, 9.0f, 9.0f, 9.0f};
  SamplingConfig config;
  config.vocabLimit = 5;
  expectFrequencies(config, row,
                    normalize({std::exp(2.0), std::exp(1.0), std::exp(0.5), 1.0,
                               std::exp(-1.0), 0, 0, 0}));
  config.temperature = 0.0f;
  Sampler greedy = makeSampler(config);
  EXPECT_EQ(greedy.sample(row.data(), 8, {}), 0);
  // A limit past the row is harmless.
  config.vocabLimit = 100;
  Sampler wide = makeSampler(config);
  EXPECT_EQ(wide.sample(row.data(), 8, {}), 5);
}

TEST(Sampling, NonFiniteLogits) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  expectFrequencies({}, {nan, 0.0f, nan, 0.0f, -inf}, {0, 0.5, 0, 0.5, 0});
  expectFrequencies({}, {1.0f, inf, 0.0f, inf, 2.0f}, {0, 0.5, 0, 0.5, 0});
  Sampler sampler = makeSampler({});
  std::vector<float> dead = {-inf, nan, -inf};
  EXPECT_EQ(sampler.sample(dead.data(), 3, {}), 0);
}

TEST(Sampling, RefusesBadConfigs) {
  auto refused = [](auto change) {
    SamplingConfig config;
    change(config);
    return !Sampler::create(config).ok();
  };
  EXPECT_TRUE(refused([](SamplingConfig &c) { c.temperature = -1.0f; }));
  EXPECT_TRUE(refused([](SamplingConfig &c) {
    c.temperature = std::numeric_limits<float>::infinity();
  }));
  EXPECT_TRUE(refused([](SamplingConfig &c) { c.topK = -1; }));
  EXPECT_TRUE(refused([](SamplingConfig &c) { c.topP = 1.5f; }));
  EXPECT_TRUE(refused([](SamplingConfig &c) {
    c.topP = std::numeric_limits<float>::quiet_NaN();
  }));
  EXPECT_TRUE(refused([](SamplingConfig &c) { c.minP = -0.1f; }));
  EXPECT_TRUE(refused([](SamplingConfig &c) { c.repetitionPenalty = 0.0f; }));
  EXPECT_TRUE(refused([](SamplingConfig &c) { c.vocabLimit = -1; }));
  EXPECT_FALSE(refused([](SamplingConfig &) {}));
  SamplingConfig bad;
  bad.topK = -3;
  EXPECT_NE(bad.validate().error().find("top-k"), std::string::npos);
}

} // namespace
