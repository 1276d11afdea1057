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
#include "runtime/Progress.h"
#include "runtime/Result.h"
#include "runtime/model/ModelConfig.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
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
  /// jit.onProgress, when not set, is onProgress.
  JitOptions jit;
  /// Called with a line of news ("loading weights from DIR", ...).
  std::function<void(const std::string &)> progress;
  /// Called as the weights are read ("reading weights", one unit a tensor)
  /// and uploaded ("loading layers", one a layer), and as kernels compile
  /// ("compiling kernels", one a kernel); see runtime/Progress.h.
  ProgressCallback onProgress;
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

/// A batch-1 state kept where its session computes: in device memory on
/// CUDA, in host memory on the CPU (Session::snapshot). Restoring one is a
/// copy on the device instead of a transfer from the host; the prefix
/// cache's first tier. Holds its model.
class StateSnapshot {
public:
  ~StateSnapshot();
  StateSnapshot(const StateSnapshot &) = delete;
  StateSnapshot &operator=(const StateSnapshot &) = delete;
  size_t bytes() const;
  /// The host copy: the bytes Session::saveState(row) gives.
  Result<SessionState> toHost() const;

  struct Impl;
  explicit StateSnapshot(std::unique_ptr<Impl> impl);
  const Impl &impl() const { return *impl_; }

private:
  std::unique_ptr<Impl> impl_;
};

class Session {
public:
  static Result<std::unique_ptr<Session>>
  create(std::shared_ptr<Model> model, int64_t batch,
         const SessionOptions &options = {});
  ~Session();

  int64_t batch() const;
  /// Bytes of one row's state (conv + SSM, every layer): what a snapshot or
  /// a batch-1 SessionState of a row holds.
  size_t rowStateBytes() const;
  /// Feeds `length` tokens per sequence (`tokens` is batch x length,
  /// row-major), continuing from the current state. Returns the logits of
  /// every position when `allPositions`, else of the last one.
  Result<Logits> prefill(const std::vector<int32_t> &tokens, int64_t length,
                         bool allPositions = false);
  /// Feeds one token per sequence; returns their logits (positions = 1).
  /// Fewer tokens than the batch step only the first tokens.size() rows (the
  /// others keep their state) at the cost of that smaller batch: a server
  /// keeps its running sequences in the first rows (moveRow) and steps a
  /// bucket of them. On CUDA each step size gets its own decode graph.
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
  /// Ragged prefill: feeds `tokens[k]` (at least one token each, any
  /// lengths) to batch row `rows[k]` (distinct rows), each continuing from
  /// its row's state; the other rows keep theirs. The sequences are packed
  /// in one row with their boundaries (the conv and the scans restart at
  /// each), on every backend: one prefill whatever the lengths. Returns per
  /// sequence its logits (batch 1): of the last position, or of every
  /// position.
  Result<std::vector<Logits>>
  prefillRows(const std::vector<int64_t> &rows,
              const std::vector<std::vector<int32_t>> &tokens,
              bool allPositions = false);
  /// Copies the state of row `from` over row `to` (from keeps its own).
  Status moveRow(int64_t from, int64_t to);
  /// Zeroes the state (a fresh sequence).
  Status reset();
  /// Zeroes the state of some rows only.
  Status resetRows(const std::vector<int64_t> &rows);
  /// The conv and SSM states of every row (restoreState needs a session of
  /// the same model and batch).
  Result<SessionState> saveState();
  Status restoreState(const SessionState &state);
  /// The state of one row, as a batch-1 SessionState: the same bytes a
  /// batch-1 session's saveState() gives, so states move between sessions
  /// and rows.
  Result<SessionState> saveState(int64_t row);
  Status restoreState(int64_t row, const SessionState &state);
  /// The state of one row as a snapshot on the session's device, and back
  /// (a snapshot of the same model).
  Result<std::shared_ptr<const StateSnapshot>> snapshot(int64_t row);
  Status restore(int64_t row, const StateSnapshot &snapshot);

  struct Impl;

private:
  Session();
  std::unique_ptr<Impl> impl_;
};

/// State files (mamba-run --save-state / --load-state). Layout:
///
///   bytes 0-7    "MAMBAST1" (magic and format version 1)
///   bytes 8-15   H, the header's length, unsigned little-endian
///   H bytes      a JSON object: "arch" ("mamba1"/"mamba2"), "d_model",
///                "n_layer", "d_inner", "d_state", "d_conv", "conv_dim",
///                "nheads", "headdim" (Mamba-2; 0 for Mamba-1), "conv_dtype",
///                "ssm_dtype" ("f32", "f16", "bf16"), "batch", "state_bytes",
///                "tokens" (the ids the state has consumed, may be empty)
///   state_bytes  SessionState::bytes: the conv state of every layer
///                (batch, conv_dim, d_conv - 1), then the SSM state of every
///                layer ((batch, d_inner, d_state) or (batch, nheads,
///                headdim, d_state)), row-major, in the dtypes above
///
/// Loading checks every header field against the model and names the first
/// that differs.
struct StateFile {
  SessionState state;
  std::vector<int32_t> tokens;
};
Status saveStateFile(const std::string &path, const Model &model,
                     const StateFile &file);
Result<StateFile> loadStateFile(const std::string &path, const Model &model);

/// A cached prefix: its length (0: none) and its state, in the device tier
/// (snapshot) or in the host tier (state).
struct CachedPrefix {
  int64_t length = 0;
  SessionState state;
  std::shared_ptr<const StateSnapshot> snapshot;
  /// Restores it into `row` of `session`.
  Status restoreInto(Session &session, int64_t row) const;
};

/// States after prompt prefixes (a system prompt, a few-shot header), so
/// that a prompt starting with a cached prefix restores its state instead of
/// recomputing it. Two tiers, least recently used first out of each: up to
/// `deviceBytes` of snapshots on the session's device (Session::snapshot;
/// restoring one is a device copy), which spill to up to `hostBytes` of host
/// copies (SessionState, on CUDA a transfer each way). A spill copies the
/// whole state to the host (22 MB a row for mamba-2.8b, 168 MB for
/// mamba2-2.7b), so only snapshots that a lookup has returned spill, and
/// only when they are at most a quarter of the host tier (a smaller one
/// would evict a state for every spill it takes); others are dropped.
/// Entries are batch-1 states. Thread-safe.
class PrefixCache {
public:
  /// `block`: prefillCached caches states at block * 2^k tokens (and at the
  /// end of each prompt), so a shared prefix of p tokens saves at least p/2.
  explicit PrefixCache(size_t hostBytes, int64_t block = 64,
                       size_t deviceBytes = 0);
  ~PrefixCache();
  PrefixCache(const PrefixCache &) = delete;
  PrefixCache &operator=(const PrefixCache &) = delete;

  /// Caches `state` as the state after `tokens` in the host tier (replacing
  /// an entry of the same tokens). A state larger than the tier is not kept.
  void put(const std::vector<int32_t> &tokens, const SessionState &state);
  /// The same in the device tier; what it evicts spills to the host tier. A
  /// snapshot larger than the device tier goes to the host tier.
  void put(const std::vector<int32_t> &tokens,
           std::shared_ptr<const StateSnapshot> snapshot);
  /// The longest cached prefix of `tokens` of at most `maxLength` tokens
  /// (length 0 when none).
  CachedPrefix longestPrefix(const std::vector<int32_t> &tokens,
                             int64_t maxLength);
  int64_t block() const;
  /// Bytes held in the host tier and in the device tier.
  size_t bytes() const;
  size_t deviceBytes() const;
  /// The device tier's budget (0: no device tier) and the host tier's.
  size_t deviceBudget() const;
  size_t hostBudget() const;
  size_t entries() const;
  /// Lookups that found a prefix, and the tokens they saved.
  int64_t hits() const;
  int64_t tokensSaved() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Fresh prompts into session rows through `cache`: each row starts from the
/// longest cached prefix of its prompt (shorter than the prompt) or from
/// zero, the remaining tokens of all rows run as ragged prefills, and the
/// states at each prompt's end and at the cache's boundaries (block * 2^k
/// tokens, the longest first) are cached, as many per prompt as fill half
/// of the first tier (the device tier, else the host tier), at least the
/// end's: one prompt never flushes the whole cache.
/// Returns the last position's logits of each prompt, exactly those of a
/// full prefill.
Result<std::vector<Logits>>
prefillCached(Session &session, const std::vector<int64_t> &rows,
              const std::vector<std::vector<int32_t>> &tokens,
              PrefixCache &cache);

} // namespace mamba

#endif // MAMBA_RUNTIME_MAMBA_H
