//===- Mamba.h - run Mamba-1 and Mamba-2 language models --------*- C++ -*-===//
//
// The public C++ API (no MLIR or CUDA types). Load a checkpoint directory
// (config.json in the mamba_ssm or transformers format, plus
// model.safetensors, a sharded index, or pytorch_model.bin), open a Session
// for a batch, prefill prompts, step one token at a time, and save or restore
// the recurrent state:
//
//   auto model = mamba::Model::load("mamba-130m", {});
//   auto session = mamba::Session::create(*model, /*batch=*/1);
//   auto logits = (*session)->prefill(ids, /*length=*/ids.size());
//   auto next = (*session)->step({token});
//
// Every failure comes back as a Result with a message that names the file,
// the tensor or the setting at fault.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_MAMBA_H
#define MAMBA_RUNTIME_MAMBA_H

#include "runtime/DType.h"
#include "runtime/Jit.h"
#include "runtime/Result.h"
#include "runtime/model/ModelConfig.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mamba {

enum class Device { Auto, Cpu, Cuda };

const char *deviceName(Device d);

struct LoadOptions {
  /// Auto: CUDA when a GPU is usable, else the CPU.
  Device device = Device::Auto;
  /// Activation and weight type; default f32 on the CPU, bf16 on CUDA. The
  /// CPU computes in f32 on weights rounded to this type.
  std::optional<DType> dtype;
  /// Element type of the SSM state between tokens (f32 or bf16).
  DType stateDType = DType::F32;
  JitOptions jit;
  /// Called with a line of progress ("loading weights 12/48", ...).
  std::function<void(const std::string &)> progress;
};

/// The compilation stages `emitModel` can print.
enum class EmitStage { Mlir, Tiled, Cuda };

/// Prints the model's IR as built (Mlir), after mamba-to-cuda (Tiled), or as
/// the CUDA kernels NVRTC would compile (Cuda), from config.json alone.
Result<std::string> emitModel(const std::string &dir, EmitStage stage,
                              DType dtype, const std::string &arch = "sm_90");

class Session;

class Model {
public:
  static Result<std::shared_ptr<Model>> load(const std::string &dir,
                                             const LoadOptions &options);
  /// A model of the given shape with random weights (a plausible
  /// initialisation, never zeros), for speed measurements and tests.
  static Result<std::shared_ptr<Model>> random(const ModelConfig &config,
                                               const LoadOptions &options,
                                               uint64_t seed = 1);
  ~Model();

  const ModelConfig &config() const;
  Device device() const;
  DType dtype() const;
  DType stateDType() const;
  /// Width of the logits (the padded vocabulary).
  int64_t vocabSize() const;
  /// e.g. "mamba2 d_model 768 x 24 layers, bf16 on NVIDIA H100 80GB HBM3".
  std::string describe() const;
  /// Seconds spent loading weights and compiling kernels.
  double loadSeconds() const;
  double compileSeconds() const;
  /// Device (or host, on the CPU) bytes held: the weights plus the largest
  /// the activation pool has grown to, i.e. the peak working set so far.
  size_t memoryBytes() const;

  struct Impl;
  Impl &impl() { return *impl_; }

private:
  Model();
  std::unique_ptr<Impl> impl_;
};

/// Logits as f32, row-major (batch, positions, vocab).
struct Logits {
  int64_t batch = 0, positions = 0, vocab = 0;
  std::vector<float> values;
  const float *row(int64_t b, int64_t pos = 0) const {
    return values.data() + (b * positions + pos) * vocab;
  }
};

struct SessionOptions {
  /// Capture each decode step in a CUDA graph (CUDA only).
  bool cudaGraphs = true;
  /// Longest piece a prefill runs at once; longer prompts are processed in
  /// pieces carrying the state, so memory stays bounded. 0: automatic.
  int64_t prefillChunk = 0;
  /// Longest prompt, in tokens per sequence, that one prefill accepts; a
  /// longer one is refused before anything is allocated. 0: no limit.
  static constexpr int64_t kDefaultMaxPromptTokens = int64_t(1) << 20;
  int64_t maxPromptTokens = kDefaultMaxPromptTokens;
};

/// The recurrent state of every sequence of a session, in host memory.
struct SessionState {
  int64_t batch = 0;
  std::vector<uint8_t> bytes;
};

class Session {
public:
  static Result<std::unique_ptr<Session>>
  create(std::shared_ptr<Model> model, int64_t batch,
         const SessionOptions &options = {});
  ~Session();

  int64_t batch() const;
  /// Feeds `length` tokens per sequence (`tokens` is batch x length,
  /// row-major), continuing from the current state. Returns the logits of
  /// every position when `allPositions`, else of the last one.
  Result<Logits> prefill(const std::vector<int32_t> &tokens, int64_t length,
                         bool allPositions = false);
  /// Feeds one token per sequence; returns their logits (positions = 1).
  Result<Logits> step(const std::vector<int32_t> &tokens);
  /// Greedy decoding without copying logits to the host: like prefill and
  /// step, but each returns, per sequence, the id of the largest logit among
  /// the first `vocabLimit` (0: the model's vocab_size, so padded rows never
  /// win; a tokenizer with fewer ids passes its own size). The argmax runs
  /// on the device; NaN ranks lowest and ties go to the lower id, as in
  /// text::Sampler.
  Result<std::vector<int32_t>> prefillGreedy(const std::vector<int32_t> &tokens,
                                             int64_t length,
                                             int64_t vocabLimit = 0);
  Result<std::vector<int32_t>> stepGreedy(const std::vector<int32_t> &tokens,
                                          int64_t vocabLimit = 0);
  /// Zeroes the state (a fresh sequence).
  Status reset();
  Result<SessionState> saveState();
  Status restoreState(const SessionState &state);

  struct Impl;

private:
  Session();
  std::unique_ptr<Impl> impl_;
};

} // namespace mamba

#endif // MAMBA_RUNTIME_MAMBA_H
