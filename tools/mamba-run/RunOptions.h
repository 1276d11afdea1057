//===- RunOptions.h - mamba-run's command line ------------------*- C++ -*-===//
//
// The options of every mode of mamba-run (generation, perplexity, logits,
// tokenization, IR emission) and the helpers the modes share: where the
// model and the tokenizer are, how the model is loaded, how a failure is
// reported.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TOOLS_MAMBARUN_RUNOPTIONS_H
#define MAMBA_TOOLS_MAMBARUN_RUNOPTIONS_H

#include "runtime/Mamba.h"
#include "runtime/Result.h"
#include "runtime/text/Sampling.h"
#include "runtime/text/Tokenizer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mamba::run {

struct RunOptions {
  /// --model; empty: the demo model (see findModelDir).
  std::string model;
  /// --random-model NAME: random weights of a published shape instead of a
  /// checkpoint (needs --tokenizer).
  std::string randomModel;
  /// --tokenizer; empty: MODEL/tokenizer.json.
  std::string tokenizer;
  std::string device = "auto";
  std::string dtype;
  /// --tuning-db FILE|off (JitOptions::tuningDb).
  std::string tuningDb;
  bool quiet = false;

  // Modes other than generation.
  std::string inputIds, logitsOut;
  std::string emit;
  std::string arch = "sm_90";
  std::string perplexityFile;
  bool tokenize = false;

  // Prompts.
  std::vector<std::string> prompts;
  std::string promptFile;
  bool wholeFile = false;
  bool noEcho = false;
  /// --save-state FILE: the state after the prompt (batch 1), in the format
  /// of mamba::saveStateFile. --load-state FILE: the prompt continues from
  /// that state (the prompt is the text after the saved one).
  std::string saveState, loadState;

  // Generation. The defaults are those of a text generator, not the
  // reference's greedy decoding: the small Mamba checkpoints fall into loops
  // under greedy decoding, while a mild temperature with nucleus sampling and
  // a light repetition penalty (the values HF generate and llama.cpp users
  // commonly pick) gives varied, fluent text. `--temperature 0` (or
  // `--top-k 1`) is greedy.
  int64_t maxNewTokens = 100;
  /// --max-prompt-tokens: longer prompts (per sequence) are refused.
  int64_t maxPromptTokens = SessionOptions::kDefaultMaxPromptTokens;
  float temperature = 0.8f;
  int32_t topK = 0;
  float topP = 0.95f;
  float minP = 0.0f;
  float repetitionPenalty = 1.1f;
  /// Set when --seed was given; otherwise a random seed is drawn (and
  /// printed on the statistics line, so that any run can be repeated).
  bool seedGiven = false;
  uint64_t seed = 0;
};

/// Prints "mamba-run: MESSAGE" on stderr; returns the exit code 1.
int fail(const std::string &message);

/// Prints "[mamba-run] LINE" on stderr unless quiet (erasing the progress
/// bar first, on a terminal).
void note(const RunOptions &o, const std::string &line);

/// The checkpoint directory: --model when given (it must exist), else
/// $MAMBA_MODEL or the demo model (runtime/DefaultModel.h).
Result<std::string> findModelDir(const RunOptions &o);

/// The help text of --random-model.
inline constexpr const char *kRandomModelHelp =
    "Random weights of a published shape instead of a checkpoint "
    "(mamba-130m ... mamba-2.8b, mamba2-130m ... mamba2-2.7b); needs "
    "--tokenizer for text";

/// What the model comes from: "random NAME" for --random-model (refused
/// with --model too, or without --tokenizer when `needsTokenizer`), else
/// findModelDir.
Result<std::string> modelSource(const RunOptions &o, bool needsTokenizer);

struct LoadedTokenizer {
  text::Tokenizer tokenizer;
  /// The tokenizer.json it came from.
  std::string path;
};

/// --tokenizer, else MODEL_DIR/tokenizer.json, where `modelDir` comes from
/// findModelDir.
Result<LoadedTokenizer> loadTokenizer(const RunOptions &o,
                                      const std::string &modelDir);

/// --device and --dtype as LoadOptions, with the progress messages and bar
/// unless quiet.
LoadOptions loadOptions(const RunOptions &o);

/// Loads the model (the checkpoint in `dir`, or random weights of
/// --random-model's shape) and says how long it took (unless quiet).
Result<std::shared_ptr<Model>> loadModel(const RunOptions &o,
                                         const std::string &dir);

/// The session options of the command line.
SessionOptions sessionOptions(const RunOptions &o);

/// Fails when the tokenizer can produce ids the model has no row for.
Status checkVocabularies(const LoadedTokenizer &tokenizer, const Model &model,
                         const std::string &modelDir);

/// Reads a whole file; the error names it.
Result<std::string> readFile(const std::string &path);

} // namespace mamba::run

#endif // MAMBA_TOOLS_MAMBARUN_RUNOPTIONS_H
