//===- Perplexity.h - mamba-run --perplexity --------------------*- C++ -*-===//
#ifndef MAMBA_TOOLS_MAMBARUN_PERPLEXITY_H
#define MAMBA_TOOLS_MAMBARUN_PERPLEXITY_H

#include "RunOptions.h"

namespace mamba::run {

/// The negative log-likelihoods of a token sequence under a model (the
/// definition is at the top of Perplexity.cpp).
struct PerplexityResult {
  int64_t tokens = 0;    // T
  int64_t predicted = 0; // T - 1
  double meanNll = 0;
  double perplexity = 0;
};

/// Scores `ids` as one sequence, counting only the first `vocab` logits of
/// each position.
Result<PerplexityResult> computePerplexity(const std::shared_ptr<Model> &model,
                                           const std::vector<int32_t> &ids,
                                           int64_t vocab);

/// --perplexity FILE: tokenizes the file, scores it and prints tokens, mean
/// NLL and perplexity.
int runPerplexity(const RunOptions &o, const std::string &modelDir,
                  const LoadedTokenizer &tokenizer);

} // namespace mamba::run

#endif // MAMBA_TOOLS_MAMBARUN_PERPLEXITY_H
