//===- ToolTestUtils.h - run the built tools on tiny models -----*- C++ -*-===//
//
// Runs mamba-run and mamba-bench as a user would (a shell command line) and
// captures their exit status, stdout and stderr; writes tiny random model
// directories (config.json + model.safetensors + tokenizer.json) for them.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TEST_UNIT_TOOLS_TOOLTESTUTILS_H
#define MAMBA_TEST_UNIT_TOOLS_TOOLTESTUTILS_H

#include "runtime/model/ModelConfig.h"
#include "runtime/model/WeightStore.h"
#include "test/unit/model/TestWriters.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace mamba::test {

#define EXPECT_HAS(text, part)                                                 \
  EXPECT_NE((text).find(part), std::string::npos)                              \
      << "text: " << (text) << "\nlacks: " << (part)

/// The tool and data locations are compiled in; the environment can move
/// them (a test binary run from a copy of the tree elsewhere).
inline std::string fromEnv(const char *var, const char *fallback) {
  const char *v = std::getenv(var);
  return v && *v ? v : fallback;
}

inline std::string shellQuote(const std::string &s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline std::string readText(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct ToolRun {
  int status = -1; // exit code; -1 when the process did not exit normally
  std::string out, err;
  std::string command;
};

/// Runs `command` (already quoted) through the shell with stdin from
/// /dev/null unless `stdinFile` is given.
inline ToolRun runTool(const std::string &command,
                       const std::string &stdinFile = "/dev/null") {
  TempDir scratch;
  ToolRun r;
  r.command = command;
  std::string full = command + " <" + shellQuote(stdinFile) + " >" +
                     shellQuote(scratch.file("out")) + " 2>" +
                     shellQuote(scratch.file("err"));
  int raw = std::system(full.c_str());
  r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = readText(scratch.file("out"));
  r.err = readText(scratch.file("err"));
  return r;
}

/// A plausible deterministic value for element `i` of weight `name`, in the
/// ranges the modules initialise them to (never zeros or ones).
inline float tinyWeight(const std::string &name,
                        const std::vector<int64_t> &shape, int64_t i) {
  uint64_t s = std::hash<std::string>()(name) * 0x9e3779b97f4a7c15ull +
               uint64_t(i) * 0xbf58476d1ce4e5b9ull + 1;
  s ^= s >> 31;
  s *= 0x94d049bb133111ebull;
  s ^= s >> 29;
  float u = float(s >> 40) / float(1 << 24);
  auto ends = [&](const std::string &suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) ==
               0;
  };
  if (ends("norm.weight") || ends("norm_f.weight"))
    return 0.9f + 0.2f * u;
  if (ends("A_log"))
    return std::log(1.0f + 15.0f * u);
  if (ends(".D"))
    return 0.5f + u;
  if (ends("dt_bias") || ends("dt_proj.bias")) {
    float dt = std::exp(std::log(0.001f) + u * std::log(100.0f));
    return dt + std::log(-std::expm1(-dt));
  }
  if (ends("conv1d.weight"))
    return u - 0.5f;
  if (ends("bias"))
    return 0.2f * u - 0.1f;
  // Embedding rows of size ~1 give logits with a spread of a few units, so
  // that greedy decoding has no near-ties.
  if (ends("embedding.weight"))
    return 2.0f * u - 1.0f;
  float fanIn = shape.size() >= 2 ? float(shape.back()) : 1.0f;
  return (2.0f * u - 1.0f) / std::sqrt(fanIn);
}

/// Writes config.json (the text given), a model.safetensors (f32) with every
/// tensor the config needs, and, unless `tokenizer` is empty, a copy of it
/// as tokenizer.json. `nanLmHead` puts a NaN in lm_head.weight[0][0] (the
/// config must not tie it), which makes the logit of id 0 NaN everywhere.
inline void writeTinyModel(const std::string &dir,
                           const std::string &configJson,
                           const std::string &tokenizer,
                           bool nanLmHead = false) {
  std::filesystem::create_directories(dir);
  Result<ModelConfig> cfg = parseModelConfig(configJson, "config.json");
  ASSERT_TRUE(cfg.ok()) << cfg.error();
  std::vector<StTensor> tensors;
  for (const ExpectedTensor &e : expectedTensors(*cfg)) {
    if (!e.tiedTo.empty())
      continue;
    int64_t n = 1;
    for (int64_t d : e.shape)
      n *= d;
    std::string bytes(size_t(n) * 4, '\0');
    for (int64_t i = 0; i < n; ++i)
      storeFromFloat(bytes.data(), DType::F32, size_t(i),
                     nanLmHead && i == 0 && e.name == "lm_head.weight"
                         ? NAN
                         : tinyWeight(e.name, e.shape, i));
    tensors.push_back({e.name, "F32", e.shape, bytes});
  }
  std::ofstream(dir + "/config.json") << configJson;
  std::string st = safetensorsFile(tensors);
  std::ofstream(dir + "/model.safetensors", std::ios::binary)
      .write(st.data(), st.size());
  if (!tokenizer.empty())
    std::filesystem::copy_file(
        tokenizer, dir + "/tokenizer.json",
        std::filesystem::copy_options::overwrite_existing);
}

} // namespace mamba::test

#endif // MAMBA_TEST_UNIT_TOOLS_TOOLTESTUTILS_H
