//===- BpeTest.cpp - BPE model options a tokenizer.json may set -----------===//

#include "runtime/text/Bpe.h"

#include <gtest/gtest.h>

using namespace mamba;
using namespace mamba::text;
using Ids = std::vector<int32_t>;
using Merges = std::vector<std::pair<std::string, std::string>>;

namespace {

Ids tokenize(const Bpe &bpe, std::string_view word) {
  Ids ids;
  bpe.tokenize(word, ids);
  return ids;
}

Bpe make(Bpe::Vocab vocab, const Merges &merges, BpeOptions options = {}) {
  Result<Bpe> bpe = Bpe::create(std::move(vocab), merges, std::move(options));
  EXPECT_TRUE(bpe.ok()) << bpe.error();
  return bpe.take();
}

TEST(Bpe, ContinuingSubwordPrefix) {
  BpeOptions options;
  options.continuingSubwordPrefix = "##";
  // The merge of (a, ##b) is "ab": the prefix of the right side goes.
  Bpe bpe = make({{"a", 0}, {"##b", 1}, {"##c", 2}, {"ab", 3}}, {{"a", "##b"}},
                 options);
  EXPECT_EQ(tokenize(bpe, "abc"), (Ids{3, 2}));
}

TEST(Bpe, EndOfWordSuffix) {
  BpeOptions options;
  options.endOfWordSuffix = "</w>";
  Bpe bpe =
      make({{"a", 0}, {"b</w>", 1}, {"ab</w>", 2}}, {{"a", "b</w>"}}, options);
  EXPECT_EQ(tokenize(bpe, "ab"), (Ids{2}));
  // Without an unknown token, characters outside the vocabulary vanish
  // ("b" and "a</w>" are not tokens).
  EXPECT_EQ(tokenize(bpe, "ba"), Ids{});
}

TEST(Bpe, UnknownTokens) {
  BpeOptions options;
  options.unkToken = "<unk>";
  Bpe plain = make({{"<unk>", 0}, {"a", 1}}, {}, options);
  EXPECT_EQ(tokenize(plain, "xya"), (Ids{0, 0, 1}));
  options.fuseUnk = true;
  Bpe fused = make({{"<unk>", 0}, {"a", 1}}, {}, options);
  EXPECT_EQ(tokenize(fused, "xyaz"), (Ids{0, 1, 0}));
}

TEST(Bpe, ByteFallback) {
  BpeOptions options;
  options.unkToken = "<unk>";
  options.byteFallback = true;
  Bpe bpe =
      make({{"<unk>", 0}, {"a", 1}, {"<0xC3>", 2}, {"<0xA9>", 3}}, {}, options);
  EXPECT_EQ(tokenize(bpe, "aé"), (Ids{1, 2, 3}));
  // € (E2 82 AC) has no byte tokens: the unknown token stands for it.
  EXPECT_EQ(tokenize(bpe, "a€"), (Ids{1, 0}));
}

TEST(Bpe, IgnoreMerges) {
  Bpe::Vocab vocab = {{"a", 0},  {"b", 1},   {"c", 2},
                      {"ab", 3}, {"abc", 4}, {"bc", 5}};
  Merges merges = {{"b", "c"}, {"a", "b"}};
  EXPECT_EQ(tokenize(make(vocab, merges), "abc"), (Ids{0, 5}));
  BpeOptions options;
  options.ignoreMerges = true;
  EXPECT_EQ(tokenize(make(vocab, merges, options), "abc"), (Ids{4}));
}

TEST(Bpe, LaterDuplicateMergeWins) {
  // The library keeps the last rank of a repeated pair: (b, c) then ranks
  // after (a, b), so "abc" becomes ab c.
  Bpe bpe = make({{"a", 0}, {"b", 1}, {"c", 2}, {"ab", 3}, {"bc", 4}},
                 {{"b", "c"}, {"a", "b"}, {"b", "c"}});
  EXPECT_EQ(tokenize(bpe, "abc"), (Ids{3, 2}));
}

TEST(Bpe, RefusesMergesOutsideTheVocabulary) {
  Result<Bpe> missing = Bpe::create({{"a", 0}, {"b", 1}}, {{"a", "b"}}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("makes 'ab'"), std::string::npos)
      << missing.error();
  Result<Bpe> unknownPart = Bpe::create({{"a", 0}}, {{"a", "z"}}, {});
  EXPECT_FALSE(unknownPart.ok());
}

} // namespace
