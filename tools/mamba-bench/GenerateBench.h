//===- GenerateBench.h - `mamba-bench generate` -----------------*- C++ -*-===//
#ifndef MAMBA_TOOLS_GENERATEBENCH_H
#define MAMBA_TOOLS_GENERATEBENCH_H

#include <cstdint>
#include <string>

namespace mamba {

/// The options of mamba_ssm's benchmarks/benchmark_generation_mamba_simple.py
/// with its defaults, plus the model source and the output.
struct GenerateBenchOptions {
  // Exactly one model source.
  std::string modelDir;    // a checkpoint directory
  std::string randomModel; // a published shape, random weights
  std::string configPath;  // any config.json, random weights
  std::string tokenizerPath;

  std::string prompt; // needs a tokenizer; else random ids
  int64_t promptLen = 100;
  int64_t genLen = 100;
  int64_t batch = 1;
  float temperature = 1.0f;
  int32_t topK = 1; // greedy, the reference's default
  float topP = 1.0f;
  float minP = 0.0f;
  float repetitionPenalty = 1.0f;
  uint64_t seed = 0; // random prompt ids and the sampler

  int repeats = 3; // timed, after one warm-up
  std::string device = "auto";
  std::string dtype = "f16"; // the reference loads fp16
  std::string tuningDb;      // --tuning-db FILE|off
  bool cudaGraphs = true;
  std::string jsonPath;
  bool quiet = false;
};

/// Runs the benchmark; returns the process exit code.
int runGenerateBench(const GenerateBenchOptions &options);

} // namespace mamba

#endif // MAMBA_TOOLS_GENERATEBENCH_H
