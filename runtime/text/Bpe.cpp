//===- Bpe.cpp - the BPE model of a tokenizer.json ------------------------===//

#include "runtime/text/Bpe.h"

#include "runtime/text/Utf8.h"

#include <cstdio>
#include <queue>

namespace mamba::text {

namespace {

uint64_t pairKey(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) |
         static_cast<uint32_t>(right);
}

/// A candidate merge of the symbol at `pos` with its right neighbour.
struct Candidate {
  uint32_t rank;
  int32_t pos;
  int32_t newId;
};

/// Orders a max-heap so that the top is the lowest rank, then the leftmost
/// position (word.rs, `impl Ord for Merge`).
struct LaterCandidate {
  bool operator()(const Candidate &a, const Candidate &b) const {
    if (a.rank != b.rank)
      return a.rank > b.rank;
    return a.pos > b.pos;
  }
};

} // namespace

Result<Bpe>
Bpe::create(Vocab vocab,
            const std::vector<std::pair<std::string, std::string>> &merges,
            BpeOptions options) {
  Bpe bpe;
  bpe.vocab_ = std::move(vocab);
  bpe.options_ = std::move(options);

  if (bpe.options_.unkToken) {
    bpe.unkId_ = bpe.lookup(*bpe.options_.unkToken);
    if (!bpe.unkId_)
      return Error("model.unk_token '" + *bpe.options_.unkToken +
                   "' is not in the vocabulary");
  }

  bpe.byteFallbackIds_.fill(-1);
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", b);
    if (std::optional<int32_t> id = bpe.lookup(name))
      bpe.byteFallbackIds_[b] = *id;
  }

  // The merged token of (a, b) is a followed by b without b's subword prefix
  // (models/bpe/model.rs, BpeBuilder::build). A later duplicate of a pair
  // overwrites the earlier one there, and so it does here.
  size_t prefixLength = bpe.options_.continuingSubwordPrefix
                            ? bpe.options_.continuingSubwordPrefix->size()
                            : 0;
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const auto &[a, b] = merges[rank];
    std::optional<int32_t> aId = bpe.lookup(a), bId = bpe.lookup(b);
    if (!aId || !bId)
      return Error("merge " + std::to_string(rank + 1) + " ('" + a + "', '" +
                   b + "') names a token that is not in the vocabulary");
    if (b.size() < prefixLength)
      return Error("merge " + std::to_string(rank + 1) + " ('" + a + "', '" +
                   b + "') is shorter than continuing_subword_prefix");
    std::string merged = a + b.substr(prefixLength);
    std::optional<int32_t> newId = bpe.lookup(merged);
    if (!newId)
      return Error("merge " + std::to_string(rank + 1) + " ('" + a + "', '" +
                   b + "') makes '" + merged +
                   "', which is not in the vocabulary");
    bpe.merges_[pairKey(*aId, *bId)] =
        MergeRule{static_cast<uint32_t>(rank), *newId};
  }
  return bpe;
}

std::optional<int32_t> Bpe::lookup(std::string_view token) const {
  auto it = vocab_.find(std::string(token));
  if (it == vocab_.end())
    return std::nullopt;
  return it->second;
}

const Bpe::MergeRule *Bpe::findMerge(int32_t left, int32_t right) const {
  auto it = merges_.find(pairKey(left, right));
  return it == merges_.end() ? nullptr : &it->second;
}

void Bpe::tokenize(std::string_view word, std::vector<int32_t> &out) const {
  if (word.empty())
    return;
  if (options_.ignoreMerges) {
    if (std::optional<int32_t> id = lookup(word)) {
      out.push_back(*id);
      return;
    }
  }
  std::vector<Symbol> symbols;
  splitIntoSymbols(word, symbols);
  mergeAll(symbols);
  for (const Symbol &symbol : symbols)
    if (symbol.length != 0)
      out.push_back(symbol.id);
}

// Mirrors BPE::merge_word in models/bpe/model.rs, including two of its
// quirks: byte-fallback ids are taken from the bytes of the character with
// its prefix and suffix attached, and they do not flush a pending unknown
// token first.
void Bpe::splitIntoSymbols(std::string_view word,
                           std::vector<Symbol> &symbols) const {
  auto add = [&](int32_t id, size_t length) {
    int32_t index = static_cast<int32_t>(symbols.size());
    symbols.push_back(
        Symbol{id, index - 1, index + 1, static_cast<uint32_t>(length)});
  };
  // The unknown token waiting to be added, and the bytes it covers; 0 when
  // none waits.
  size_t pendingUnk = 0;
  std::string piece;
  size_t pos = 0;
  while (pos < word.size()) {
    size_t length = nextUtf8Unit(word, pos).length;
    bool isFirst = pos == 0, isLast = pos + length == word.size();
    piece.clear();
    if (!isFirst && options_.continuingSubwordPrefix)
      piece += *options_.continuingSubwordPrefix;
    piece.append(word.substr(pos, length));
    if (isLast && options_.endOfWordSuffix)
      piece += *options_.endOfWordSuffix;
    pos += length;

    if (std::optional<int32_t> id = lookup(piece)) {
      if (pendingUnk) {
        add(*unkId_, pendingUnk);
        pendingUnk = 0;
      }
      add(*id, length);
      continue;
    }
    if (options_.byteFallback) {
      bool allPresent = true;
      for (char c : piece)
        allPresent &= byteFallbackIds_[static_cast<unsigned char>(c)] >= 0;
      if (allPresent) {
        for (char c : piece)
          add(byteFallbackIds_[static_cast<unsigned char>(c)], 1);
        continue;
      }
    }
    if (!unkId_)
      continue; // Without an unknown token the library drops the character.
    if (pendingUnk && options_.fuseUnk) {
      pendingUnk += length;
      continue;
    }
    if (pendingUnk)
      add(*unkId_, pendingUnk);
    pendingUnk = length;
  }
  if (pendingUnk)
    add(*unkId_, pendingUnk);
  if (!symbols.empty())
    symbols.back().next = -1;
}

// Mirrors Word::merge_all in models/bpe/word.rs: a heap of candidate merges,
// where a popped candidate is stale (and skipped) when its symbol was merged
// away or its pair no longer makes the same token.
void Bpe::mergeAll(std::vector<Symbol> &symbols) const {
  std::priority_queue<Candidate, std::vector<Candidate>, LaterCandidate> queue;
  for (size_t i = 0; i + 1 < symbols.size(); ++i)
    if (const MergeRule *rule = findMerge(symbols[i].id, symbols[i + 1].id))
      queue.push(Candidate{rule->rank, static_cast<int32_t>(i), rule->newId});

  while (!queue.empty()) {
    Candidate top = queue.top();
    queue.pop();
    Symbol &current = symbols[top.pos];
    if (current.length == 0 || current.next == -1)
      continue;
    int32_t rightPos = current.next;
    Symbol right = symbols[rightPos];
    const MergeRule *rule = findMerge(current.id, right.id);
    if (!rule || rule->newId != top.newId)
      continue;

    current.id = top.newId;
    current.length += right.length;
    current.next = right.next;
    symbols[rightPos].length = 0;
    if (right.next != -1)
      symbols[right.next].prev = top.pos;

    if (current.prev != -1)
      if (const MergeRule *left =
              findMerge(symbols[current.prev].id, current.id))
        queue.push(Candidate{left->rank, current.prev, left->newId});
    if (current.next != -1)
      if (const MergeRule *next =
              findMerge(current.id, symbols[current.next].id))
        queue.push(Candidate{next->rank, top.pos, next->newId});
  }
}

} // namespace mamba::text
