//===- EngineTest.cpp - whole models on the CPU (and the GPU when present) ==//
//
// Random tiny models of both architectures (odd vocabulary, ngroups 2,
// d_state other than 16/128, chunk smaller than the prompt) check the
// executor's invariants: decode after prefill equals prefill of the longer
// prompt, chunked prefill equals one-shot prefill, batches equal separate
// runs, and a saved state replays the same logits. On a GPU, the CUDA
// backend must agree with the CPU within design.md's tolerances, with CUDA
// graphs or without.
//
//===----------------------------------------------------------------------===//

#include "runtime/Gpu.h"
#include "runtime/Mamba.h"

#include "TinyModels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace mamba;
using mamba::test::cpuModel;
using mamba::test::tinyConfig;

namespace {

std::vector<int32_t> randomTokens(int64_t n, int64_t vocab, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int32_t> t(n);
  for (int32_t &v : t)
    v = int32_t(rng() % uint64_t(vocab));
  return t;
}

double relativeL2(const float *a, const float *b, size_t n) {
  double num = 0, den = 0;
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i]))
      return INFINITY;
    num += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    den += double(b[i]) * b[i];
  }
  return den == 0 ? (num == 0 ? 0 : INFINITY) : std::sqrt(num / den);
}

class EngineTest : public ::testing::TestWithParam<Arch> {};

TEST_P(EngineTest, DecodeAfterPrefillEqualsLongerPrefill) {
  std::shared_ptr<Model> model = cpuModel(GetParam());
  ASSERT_TRUE(model);
  const int64_t L = 37, extra = 5;
  std::vector<int32_t> tokens = randomTokens(L + extra, 250, 1);
  auto full = Session::create(model, 1);
  ASSERT_TRUE(full.ok());
  Result<Logits> all = (*full)->prefill(tokens, L + extra, true);
  ASSERT_TRUE(all.ok()) << all.error();

  auto s = Session::create(model, 1);
  std::vector<int32_t> prompt(tokens.begin(), tokens.begin() + L);
  Result<Logits> last = (*s)->prefill(prompt, L);
  ASSERT_TRUE(last.ok()) << last.error();
  EXPECT_LT(relativeL2(last->row(0), all->row(0, L - 1), all->vocab), 1e-5);
  for (int64_t k = 0; k < extra; ++k) {
    Result<Logits> step = (*s)->step({tokens[L + k]});
    ASSERT_TRUE(step.ok()) << step.error();
    EXPECT_LT(relativeL2(step->row(0), all->row(0, L + k), all->vocab), 1e-5)
        << "step " << k;
  }
}

TEST_P(EngineTest, ChunkedPrefillEqualsOneShot) {
  std::shared_ptr<Model> model = cpuModel(GetParam());
  ASSERT_TRUE(model);
  std::vector<int32_t> tokens = randomTokens(50, 250, 2);
  auto one = Session::create(model, 1);
  SessionOptions small;
  small.prefillChunk = 7;
  auto chunked = Session::create(model, 1, small);
  Result<Logits> a = (*one)->prefill(tokens, 50, true);
  Result<Logits> b = (*chunked)->prefill(tokens, 50, true);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_LT(relativeL2(b->values.data(), a->values.data(), a->values.size()),
            1e-5);
}

TEST_P(EngineTest, BatchEqualsSeparateRuns) {
  std::shared_ptr<Model> model = cpuModel(GetParam());
  ASSERT_TRUE(model);
  std::vector<int32_t> t0 = randomTokens(9, 250, 3),
                       t1 = randomTokens(9, 250, 4);
  std::vector<int32_t> both = t0;
  both.insert(both.end(), t1.begin(), t1.end());
  auto batch = Session::create(model, 2);
  Result<Logits> lb = (*batch)->prefill(both, 9);
  ASSERT_TRUE(lb.ok()) << lb.error();
  for (int b = 0; b < 2; ++b) {
    auto single = Session::create(model, 1);
    Result<Logits> ls = (*single)->prefill(b ? t1 : t0, 9);
    ASSERT_TRUE(ls.ok());
    EXPECT_LT(relativeL2(lb->row(b), ls->row(0), ls->vocab), 1e-5);
  }
}

TEST_P(EngineTest, SaveRestoreReplaysTheSameLogits) {
  std::shared_ptr<Model> model = cpuModel(GetParam());
  ASSERT_TRUE(model);
  auto s = Session::create(model, 1);
  ASSERT_TRUE((*s)->prefill(randomTokens(20, 250, 5), 20).ok());
  Result<SessionState> saved = (*s)->saveState();
  ASSERT_TRUE(saved.ok());
  Result<Logits> a = (*s)->step({17});
  ASSERT_TRUE((*s)->step({3}).ok());
  ASSERT_TRUE((*s)->restoreState(*saved).ok());
  Result<Logits> b = (*s)->step({17});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(relativeL2(b->values.data(), a->values.data(), a->values.size()),
            0.0);
  // A state of another shape is refused with a message.
  SessionState wrong = *saved;
  wrong.bytes.pop_back();
  Status st = (*s)->restoreState(wrong);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.error().find("another model or batch size"), std::string::npos);
}

TEST_P(EngineTest, BadInputsAreErrors) {
  std::shared_ptr<Model> model = cpuModel(GetParam());
  ASSERT_TRUE(model);
  auto s = Session::create(model, 1);
  Result<Logits> r = (*s)->prefill({1, 2, 99999}, 3);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error().find("outside the vocabulary"), std::string::npos);
  EXPECT_FALSE((*s)->prefill({1, 2}, 3).ok());
  EXPECT_FALSE((*s)->step({1, 2}).ok());
  EXPECT_FALSE(Session::create(model, 0).ok());
}

/// The lowest id of the largest of the first `limit` values (NaN lowest).
int32_t hostArgmax(const float *row, int64_t limit) {
  int32_t best = -1;
  for (int64_t v = 0; v < limit; ++v)
    if (!std::isnan(row[v]) && (best < 0 || row[v] > row[best]))
      best = int32_t(v);
  return best < 0 ? 0 : best;
}

/// prefillGreedy / stepGreedy give the argmax of what prefill / step return,
/// on the CPU and (when there is one) on the GPU with and without graphs.
TEST_P(EngineTest, GreedyEqualsTheArgmaxOfTheLogits) {
  std::vector<std::pair<Device, DType>> runs = {{Device::Cpu, DType::F32}};
  if (GpuContext::open().ok())
    runs.insert(runs.end(), {{Device::Cuda, DType::F32},
                             {Device::Cuda, DType::F16},
                             {Device::Cuda, DType::BF16}});
  for (auto [device, dtype] : runs) {
    LoadOptions o;
    o.device = device;
    o.dtype = dtype;
    Result<std::shared_ptr<Model>> model =
        Model::random(tinyConfig(GetParam()), o, 7);
    ASSERT_TRUE(model.ok()) << model.error();
    const int64_t vocab = tinyConfig(GetParam()).vocabSize;
    for (bool graphs : {false, true}) {
      for (int64_t limit : {int64_t(0), int64_t(97)}) {
        SessionOptions so;
        so.cudaGraphs = graphs;
        auto a = Session::create(*model, 2, so),
             b = Session::create(*model, 2, so);
        ASSERT_TRUE(a.ok() && b.ok());
        std::vector<int32_t> tokens = randomTokens(2 * 19, 250, 3);
        Result<Logits> logits = (*a)->prefill(tokens, 19);
        Result<std::vector<int32_t>> ids =
            (*b)->prefillGreedy(tokens, 19, limit);
        ASSERT_TRUE(logits.ok()) << logits.error();
        ASSERT_TRUE(ids.ok()) << ids.error();
        std::string where =
            std::string(device == Device::Cuda ? "cuda " : "cpu ") +
            dtypeName(dtype) + (graphs ? " graphs" : "") + " limit " +
            std::to_string(limit);
        for (int k = 0; k < 5; ++k) {
          std::vector<int32_t> expected(2);
          for (int64_t r = 0; r < 2; ++r)
            expected[r] = hostArgmax(logits->row(r), limit ? limit : vocab);
          ASSERT_EQ(*ids, expected) << where << " step " << k;
          logits = (*a)->step(expected);
          ids = (*b)->stepGreedy(expected, limit);
          ASSERT_TRUE(logits.ok()) << logits.error();
          ASSERT_TRUE(ids.ok()) << ids.error();
        }
      }
    }
    auto s = Session::create(*model, 1);
    Result<std::vector<int32_t>> bad = (*s)->stepGreedy({1}, 1 << 20);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("the limit must be in [1, "), std::string::npos)
        << bad.error();
  }
}

TEST_P(EngineTest, CudaMatchesCpu) {
  LoadOptions gpuOptions;
  gpuOptions.device = Device::Cuda;
  for (DType t : {DType::F32, DType::BF16, DType::F16}) {
    gpuOptions.dtype = t;
    Result<std::shared_ptr<Model>> gpu =
        Model::random(tinyConfig(GetParam()), gpuOptions, 7);
    if (!gpu.ok())
      GTEST_SKIP() << "no GPU: " << gpu.error();
    LoadOptions cpuOptions;
    cpuOptions.device = Device::Cpu;
    cpuOptions.dtype = t; // the same rounded weights, computed in f32
    Result<std::shared_ptr<Model>> cpu =
        Model::random(tinyConfig(GetParam()), cpuOptions, 7);
    ASSERT_TRUE(cpu.ok()) << cpu.error();
    const double tol = t == DType::F32 ? 1e-4 : 3e-2;
    std::vector<int32_t> tokens = randomTokens(2 * 40, 250, 6);
    for (bool graphs : {false, true}) {
      SessionOptions so;
      so.cudaGraphs = graphs;
      auto g = Session::create(*gpu, 2, so);
      auto c = Session::create(*cpu, 2);
      ASSERT_TRUE(g.ok() && c.ok());
      Result<Logits> lg = (*g)->prefill(tokens, 40, true);
      Result<Logits> lc = (*c)->prefill(tokens, 40, true);
      ASSERT_TRUE(lg.ok()) << lg.error();
      ASSERT_TRUE(lc.ok()) << lc.error();
      double e =
          relativeL2(lg->values.data(), lc->values.data(), lc->values.size());
      EXPECT_LT(e, tol) << dtypeName(t) << " prefill";
      for (int k = 0; k < 4; ++k) {
        std::vector<int32_t> next = {int32_t(11 + k), int32_t(200 - k)};
        Result<Logits> sg = (*g)->step(next), sc = (*c)->step(next);
        ASSERT_TRUE(sg.ok()) << sg.error();
        ASSERT_TRUE(sc.ok()) << sc.error();
        EXPECT_LT(
            relativeL2(sg->values.data(), sc->values.data(), sc->values.size()),
            tol)
            << dtypeName(t) << " step " << k << (graphs ? " (graph)" : "");
      }
      std::printf("[ result   ] %s %s prefill rel_l2 %.3e%s\n",
                  GetParam() == Arch::Mamba1 ? "mamba1" : "mamba2",
                  dtypeName(t), e, graphs ? " (graphs)" : "");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Archs, EngineTest,
                         ::testing::Values(Arch::Mamba1, Arch::Mamba2),
                         [](const auto &info) {
                           return info.param == Arch::Mamba1 ? "Mamba1"
                                                             : "Mamba2";
                         });

} // namespace
