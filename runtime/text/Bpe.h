//===- Bpe.h - the BPE model of a tokenizer.json ----------------*- C++ -*-===//
//
// Turns one pre-token ("word") into ids with the merge rules, exactly as the
// Hugging Face tokenizers library does (models/bpe/word.rs): every character
// of the word starts as its own symbol, then the adjacent pair with the lowest
// merge rank is merged, the leftmost one on ties, until no pair has a rule.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_TEXT_BPE_H
#define MAMBA_RUNTIME_TEXT_BPE_H

#include "runtime/Result.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mamba::text {

struct BpeOptions {
  std::optional<std::string> unkToken;
  std::optional<std::string> continuingSubwordPrefix;
  std::optional<std::string> endOfWordSuffix;
  bool fuseUnk = false;
  bool byteFallback = false;
  bool ignoreMerges = false;
};

class Bpe {
public:
  using Vocab = std::unordered_map<std::string, int32_t>;

  /// Fails when a merge names a token, or makes one, that is not in `vocab`.
  static Result<Bpe>
  create(Vocab vocab,
         const std::vector<std::pair<std::string, std::string>> &merges,
         BpeOptions options);

  /// Appends the ids of `word` to `out`.
  void tokenize(std::string_view word, std::vector<int32_t> &out) const;

  const Vocab &vocab() const { return vocab_; }

private:
  struct Symbol {
    int32_t id;
    int32_t prev;
    int32_t next;
    /// Bytes of the word this symbol covers; 0 once merged into its left
    /// neighbour.
    uint32_t length;
  };
  struct MergeRule {
    uint32_t rank;
    int32_t newId;
  };

  Bpe() = default;
  std::optional<int32_t> lookup(std::string_view token) const;
  void splitIntoSymbols(std::string_view word,
                        std::vector<Symbol> &symbols) const;
  void mergeAll(std::vector<Symbol> &symbols) const;
  const MergeRule *findMerge(int32_t left, int32_t right) const;

  Vocab vocab_;
  std::unordered_map<uint64_t, MergeRule> merges_;
  BpeOptions options_;
  std::optional<int32_t> unkId_;
  /// The id of the token `<0xXX>` for each byte XX, or -1 where the vocab
  /// has none.
  std::array<int32_t, 256> byteFallbackIds_;
};

} // namespace mamba::text

#endif // MAMBA_RUNTIME_TEXT_BPE_H
