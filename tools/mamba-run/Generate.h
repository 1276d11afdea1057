//===- Generate.h - mamba-run's prompts and text generation -----*- C++ -*-===//
#ifndef MAMBA_TOOLS_MAMBARUN_GENERATE_H
#define MAMBA_TOOLS_MAMBARUN_GENERATE_H

#include "RunOptions.h"

namespace mamba::run {

/// The prompts of this run, one per batch row: every --prompt; else the
/// non-blank lines of --prompt-file (or the whole file with --whole-file);
/// else all of stdin as one prompt when stdin is not a terminal. A whole
/// file and stdin lose one trailing newline (what `echo` adds); lines lose a
/// trailing '\r'.
Result<std::vector<std::string>> gatherPrompts(const RunOptions &o);

/// The ids of each prompt. A prompt that tokenizes to nothing starts from
/// the tokenizer's BOS token (GPT-NeoX: <|endoftext|>), as unconditional
/// generation does; without a BOS token it is an error.
Result<std::vector<std::vector<int32_t>>>
tokenizePrompts(const std::vector<std::string> &prompts,
                const text::Tokenizer &tokenizer);

/// The sampling flags as a SamplingConfig (vocabLimit left at 0), checked.
Result<text::SamplingConfig> samplingConfig(const RunOptions &o);

/// --tokenize: prints each prompt's ids as a JSON list, one line each.
int runTokenize(const RunOptions &o, const text::Tokenizer &tokenizer);

/// Generates up to --max-new-tokens after each prompt and prints the text;
/// the statistics line goes to stderr.
int runGenerate(const RunOptions &o, const std::string &modelDir,
                const LoadedTokenizer &tokenizer);

} // namespace mamba::run

#endif // MAMBA_TOOLS_MAMBARUN_GENERATE_H
