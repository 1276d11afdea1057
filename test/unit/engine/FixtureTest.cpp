//===- FixtureTest.cpp - whole models against PyTorch's logits ------------===//
//
// test/data/fixtures holds tiny random models written by
// scripts/make_fixtures.py (transformers' PyTorch path, f32) in both
// checkpoint formats, with prompts, prefill logits and the logits of several
// cached decode steps. Every fixture must match on the CPU (relative L2
// <= 1e-4), through the C++ API and through `mamba-run --input-ids
// --logits-out`; on a GPU, in f32, f16 and bf16 within design.md's
// tolerances.
//
//===----------------------------------------------------------------------===//

#include "EngineTestUtils.h"

#include "runtime/Compare.h"
#include "runtime/Mamba.h"
#include "runtime/model/Npy.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>

using namespace mamba;
using mamba::test::mambaRunPath;
using mamba::test::testDataDir;

namespace {

const std::string kFixtures = testDataDir() + "/fixtures";
const std::string kMambaRun = mambaRunPath();

nlohmann::json manifest() {
  std::ifstream in(kFixtures + "/manifest.json");
  if (!in)
    return nlohmann::json();
  return nlohmann::json::parse(in, nullptr, false);
}

std::vector<int32_t> tokensOf(const NpyInts &ids) {
  return std::vector<int32_t>(ids.values.begin(), ids.values.end());
}

/// Prefill and decode of one fixture on `device` in `dtype`.
void checkFixture(const nlohmann::json &f, Device device, DType dtype,
                  double tol) {
  std::string dir = kFixtures + "/" + f["dir"].get<std::string>();
  std::string name = f["name"].get<std::string>() + " " + deviceName(device) +
                     " " + dtypeName(dtype);
  LoadOptions o;
  o.device = device;
  o.dtype = dtype;
  Result<std::shared_ptr<Model>> model = Model::load(dir, o);
  ASSERT_TRUE(model.ok()) << model.error();
  for (const nlohmann::json &p : f["prefill"]) {
    Result<NpyInts> ids =
        readNpyInts(dir + "/" + p["tokens"].get<std::string>());
    Result<NpyFloats> ref =
        readNpyFloats(dir + "/" + p["logits"].get<std::string>());
    ASSERT_TRUE(ids.ok() && ref.ok());
    int64_t batch = ids->shape[0], length = ids->shape[1];
    auto session = Session::create(*model, batch);
    ASSERT_TRUE(session.ok()) << session.error();
    Result<Logits> got = (*session)->prefill(tokensOf(*ids), length, true);
    ASSERT_TRUE(got.ok()) << got.error();
    ASSERT_EQ(got->values.size(), ref->values.size()) << name;
    double e =
        relativeL2(got->values.data(), ref->values.data(), ref->values.size());
    EXPECT_LT(e, tol) << name << " prefill L=" << length;
    std::printf("[ result   ] %-40s prefill L=%-3lld rel_l2 %.3e\n",
                name.c_str(), (long long)length, e);
  }
  const nlohmann::json &d = f["decode"];
  Result<NpyInts> prompt =
      readNpyInts(dir + "/" + d["prompt"].get<std::string>());
  Result<NpyInts> toks =
      readNpyInts(dir + "/" + d["tokens"].get<std::string>());
  Result<NpyFloats> ref =
      readNpyFloats(dir + "/" + d["logits"].get<std::string>());
  ASSERT_TRUE(prompt.ok() && toks.ok() && ref.ok());
  int64_t batch = prompt->shape[0], steps = toks->shape[1];
  int64_t width = ref->shape[2];
  auto session = Session::create(*model, batch);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE((*session)->prefill(tokensOf(*prompt), prompt->shape[1]).ok());
  double worst = 0;
  for (int64_t t = 0; t < steps; ++t) {
    std::vector<int32_t> next;
    for (int64_t b = 0; b < batch; ++b)
      next.push_back(int32_t(toks->values[b * steps + t]));
    Result<Logits> got = (*session)->step(next);
    ASSERT_TRUE(got.ok()) << got.error();
    for (int64_t b = 0; b < batch; ++b) {
      double e =
          relativeL2(got->row(b), &ref->values[(b * steps + t) * width], width);
      worst = std::max(worst, e);
      EXPECT_LT(e, tol) << name << " decode step " << t << " row " << b;
    }
  }
  std::printf("[ result   ] %-40s decode %lld steps worst rel_l2 %.3e\n",
              name.c_str(), (long long)steps, worst);
}

TEST(Fixtures, CpuMatchesPyTorch) {
  nlohmann::json m = manifest();
  if (m.is_null() || m.is_discarded())
    GTEST_SKIP() << "no fixtures at " << kFixtures
                 << " (run scripts/make_fixtures.py on a machine with torch)";
  ASSERT_GE(m["fixtures"].size(), 4u);
  for (const nlohmann::json &f : m["fixtures"])
    checkFixture(f, Device::Cpu, DType::F32, 1e-4);
}

TEST(Fixtures, MambaRunWritesTheSameLogits) {
  nlohmann::json m = manifest();
  if (m.is_null() || m.is_discarded())
    GTEST_SKIP() << "no fixtures at " << kFixtures;
  for (const nlohmann::json &f : m["fixtures"]) {
    std::string dir = kFixtures + "/" + f["dir"].get<std::string>();
    std::string ids = dir + "/prompt_long.npy";
    std::string out = ::testing::TempDir() + "/logits_" +
                      f["dir"].get<std::string>() + ".npy";
    std::string cmd = kMambaRun + " --model " + dir + " --input-ids " + ids +
                      " --logits-out " + out + " --device cpu --quiet";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    Result<NpyFloats> got = readNpyFloats(out);
    Result<NpyFloats> ref = readNpyFloats(dir + "/logits_long.npy");
    ASSERT_TRUE(got.ok()) << got.error();
    ASSERT_TRUE(ref.ok());
    ASSERT_EQ(got->shape, ref->shape);
    EXPECT_LT(
        relativeL2(got->values.data(), ref->values.data(), ref->values.size()),
        1e-4)
        << f["name"];
  }
}

TEST(Fixtures, CudaF32MatchesPyTorch) {
  nlohmann::json m = manifest();
  if (m.is_null() || m.is_discarded())
    GTEST_SKIP() << "no fixtures at " << kFixtures;
  Result<std::shared_ptr<GpuContext>> gpu = GpuContext::open();
  if (!gpu.ok())
    GTEST_SKIP() << "no GPU: " << gpu.error();
  for (const nlohmann::json &f : m["fixtures"])
    checkFixture(f, Device::Cuda, DType::F32, 1e-4);
}

/// A 16-bit model is a different model: its weights are rounded. Its
/// reference is the same rounded weights evaluated in f32 (the CPU backend
/// loaded with the same dtype), so the comparison measures the 16-bit
/// execution, not the rounding of the checkpoint (which alone moves the
/// logits of these fixtures by about 1e-2 for bf16).
TEST(Fixtures, Cuda16BitMatchesF32OnRoundedWeights) {
  nlohmann::json m = manifest();
  if (m.is_null() || m.is_discarded())
    GTEST_SKIP() << "no fixtures at " << kFixtures;
  Result<std::shared_ptr<GpuContext>> gpu = GpuContext::open();
  if (!gpu.ok())
    GTEST_SKIP() << "no GPU: " << gpu.error();
  for (const nlohmann::json &f : m["fixtures"]) {
    std::string dir = kFixtures + "/" + f["dir"].get<std::string>();
    for (DType t : {DType::F16, DType::BF16}) {
      LoadOptions go, co;
      go.device = Device::Cuda;
      go.dtype = co.dtype = t;
      co.device = Device::Cpu;
      Result<std::shared_ptr<Model>> g = Model::load(dir, go);
      Result<std::shared_ptr<Model>> c = Model::load(dir, co);
      ASSERT_TRUE(g.ok() && c.ok());
      Result<NpyInts> ids = readNpyInts(dir + "/prompt_long.npy");
      Result<NpyInts> toks = readNpyInts(dir + "/decode_tokens.npy");
      ASSERT_TRUE(ids.ok() && toks.ok());
      int64_t batch = ids->shape[0], length = ids->shape[1];
      auto gs = Session::create(*g, batch), cs = Session::create(*c, batch);
      Result<Logits> lg = (*gs)->prefill(tokensOf(*ids), length, true);
      Result<Logits> lc = (*cs)->prefill(tokensOf(*ids), length, true);
      ASSERT_TRUE(lg.ok() && lc.ok());
      double e =
          relativeL2(lg->values.data(), lc->values.data(), lc->values.size());
      EXPECT_LT(e, 1e-2) << f["name"] << " " << dtypeName(t);
      double worst = 0;
      int64_t steps = toks->shape[1];
      for (int64_t s = 0; s < steps; ++s) {
        std::vector<int32_t> next;
        for (int64_t b = 0; b < batch; ++b)
          next.push_back(int32_t(toks->values[b * steps + s]));
        Result<Logits> a = (*gs)->step(next), r = (*cs)->step(next);
        ASSERT_TRUE(a.ok() && r.ok());
        worst = std::max(worst, relativeL2(a->values.data(), r->values.data(),
                                           r->values.size()));
      }
      EXPECT_LT(worst, 1e-2) << f["name"] << " " << dtypeName(t) << " decode";
      std::printf("[ result   ] %-24s cuda %-4s vs f32 on rounded weights: "
                  "prefill %.3e, decode worst %.3e\n",
                  f["name"].get<std::string>().c_str(), dtypeName(t), e, worst);
      // For the record: against PyTorch's f32 logits of the unrounded model.
      checkFixture(f, Device::Cuda, t, INFINITY);
    }
  }
}

} // namespace
