//===- EngineTestUtils.h - helpers of the engine tests ----------*- C++ -*-===//
//
// Random tiny models of both architectures (odd vocabulary, ngroups 2,
// d_state other than 16/128, chunk smaller than the prompt), random tokens
// and the relative L2 error the engine tests compare logits with.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TEST_UNIT_ENGINE_ENGINETESTUTILS_H
#define MAMBA_TEST_UNIT_ENGINE_ENGINETESTUTILS_H

#include "runtime/Compare.h"
#include "runtime/Mamba.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>

namespace mamba::test {

/// The data and mamba-run locations are compiled in; the environment can
/// move them (a test binary run from a copy of the tree elsewhere, as
/// scripts/gpu-check.sh runs it).
inline std::string fromEnv(const char *var, const char *fallback) {
  const char *v = std::getenv(var);
  return v && *v ? v : fallback;
}

/// MAMBA_TEST_DATA_DIR, else the source tree's test/data.
inline std::string testDataDir() {
  return fromEnv("MAMBA_TEST_DATA_DIR", MAMBA_TEST_DATA_DIR);
}

/// MAMBA_RUN, else the build's mamba-run.
inline std::string mambaRunPath() {
  return fromEnv("MAMBA_RUN", MAMBA_RUN_PATH);
}

inline ModelConfig tinyConfig(Arch arch) {
  std::string json = arch == Arch::Mamba1
                         ? R"({"d_model": 64, "n_layer": 2, "vocab_size": 1001,
               "ssm_cfg": {"d_state": 24}, "pad_vocab_size_multiple": 8})"
                         : R"({"d_model": 64, "n_layer": 2, "vocab_size": 251,
               "ssm_cfg": {"layer": "Mamba2", "d_state": 32, "headdim": 32,
                           "ngroups": 2, "chunk_size": 16},
               "pad_vocab_size_multiple": 16})";
  Result<ModelConfig> cfg = parseModelConfig(json, "test");
  EXPECT_TRUE(cfg.ok()) << cfg.error();
  return *cfg;
}

inline std::vector<int32_t> randomTokens(int64_t n, int64_t vocab,
                                         uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int32_t> t(n);
  for (int32_t &v : t)
    v = int32_t(rng() % uint64_t(vocab));
  return t;
}

using mamba::relativeL2;

inline std::shared_ptr<Model> cpuModel(Arch arch) {
  LoadOptions o;
  o.device = Device::Cpu;
  Result<std::shared_ptr<Model>> m = Model::random(tinyConfig(arch), o, 7);
  EXPECT_TRUE(m.ok()) << m.error();
  return m.ok() ? *m : nullptr;
}

} // namespace mamba::test

#endif // MAMBA_TEST_UNIT_ENGINE_ENGINETESTUTILS_H
