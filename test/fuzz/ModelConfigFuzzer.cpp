//===- ModelConfigFuzzer.cpp - fuzz config.json parsing -------------------===//
//
// The input is a config.json in either layout (mamba_ssm's or transformers').
// A config that loads must give a parameter list whose every shape is
// positive and whose element counts do not overflow.
//
//===----------------------------------------------------------------------===//

#include "test/fuzz/FuzzUtil.h"

#include "runtime/model/ModelConfig.h"
#include "runtime/model/Tensor.h"
#include "runtime/model/WeightStore.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  auto cfg = mamba::parseModelConfig(text, "config.json");
  if (mamba::fuzz::failedNaming(cfg, "config.json"))
    return 0;
  if (cfg->convDim() <= 0 || cfg->inProjDim() <= 0 ||
      cfg->paddedVocabSize < cfg->vocabSize)
    std::abort();
  int64_t total = 0;
  for (const mamba::ExpectedTensor &t : mamba::expectedTensors(*cfg)) {
    for (int64_t d : t.shape)
      if (d <= 0)
        std::abort();
    auto n = mamba::checkedNumel(t.shape, t.name);
    if (!n || __builtin_add_overflow(total, *n, &total))
      std::abort();
  }
  return 0;
}
