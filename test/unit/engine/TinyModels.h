//===- TinyModels.h - random tiny models for the engine tests ---*- C++ -*-===//
//
// Odd vocabularies, ngroups 2, d_state other than 16/128 and a chunk smaller
// than the prompts, so that the tests reach the paths real sizes hide.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TEST_UNIT_ENGINE_TINYMODELS_H
#define MAMBA_TEST_UNIT_ENGINE_TINYMODELS_H

#include "runtime/Mamba.h"

#include <gtest/gtest.h>

namespace mamba::test {

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

/// tinyConfig(arch) with random weights on the CPU; null (and a test
/// failure) when it cannot be made.
inline std::shared_ptr<Model> cpuModel(Arch arch) {
  LoadOptions o;
  o.device = Device::Cpu;
  Result<std::shared_ptr<Model>> m = Model::random(tinyConfig(arch), o, 7);
  EXPECT_TRUE(m.ok()) << m.error();
  return m.ok() ? *m : nullptr;
}

} // namespace mamba::test

#endif // MAMBA_TEST_UNIT_ENGINE_TINYMODELS_H
