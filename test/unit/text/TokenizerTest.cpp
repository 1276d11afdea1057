//===- TokenizerTest.cpp - encode/decode on hand-written fixtures ---------===//
//
// Expected ids are worked out by hand from tiny-bytelevel.json (see
// TestData.h for its id layout); the comments show the pieces.
//
//===----------------------------------------------------------------------===//

#include "TestData.h"

#include "runtime/text/Utf8.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

using namespace mamba;
using namespace mamba::text;
using namespace mamba::text::test;
using json = nlohmann::json;
using Ids = std::vector<int32_t>;

namespace {

class TinyTokenizer : public ::testing::Test {
protected:
  void SetUp() override {
    Result<Tokenizer> loaded =
        Tokenizer::fromFile(dataPath("tiny-bytelevel.json"));
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    tok.emplace(loaded.take());
  }
  std::optional<Tokenizer> tok;
};

TEST_F(TinyTokenizer, MergesFollowRankThenPosition) {
  EXPECT_EQ(tok->encode("hello world"), (Ids{263, 268}));
  // h e -> he first (rank 0), then Ġ t, then Ġt he.
  EXPECT_EQ(tok->encode(" the"), (Ids{261}));
  EXPECT_EQ(tok->encode("the"), (Ids{byteId('t'), 258}));
  // Equal ranks: the leftmost pair merges first.
  EXPECT_EQ(tok->encode("aaa"), (Ids{269, byteId('a')}));
  EXPECT_EQ(tok->encode("aaaa"), (Ids{269, 269}));
}

TEST_F(TinyTokenizer, ByteLevelMapsEveryByte) {
  EXPECT_EQ(tok->encode("\n"), (Ids{byteId('\n')}));
  EXPECT_EQ(tok->encode("\t\t"), (Ids{byteId('\t'), byteId('\t')}));
  // é is C3 A9, mapped to "Ã©"; with the merges c a, ca f, caf Ã©.
  EXPECT_EQ(tok->encode("café"), (Ids{273}));
  EXPECT_EQ(tok->encode("日"), (Ids{byteId(0xE6), byteId(0x97), byteId(0xA5)}));
  EXPECT_EQ(tok->idToToken(byteId(' ')), std::optional<std::string_view>("Ġ"));
  EXPECT_EQ(tok->idToToken(byteId(0)), std::optional<std::string_view>("Ā"));
  EXPECT_EQ(tok->idToToken(byteId(0xA0)), std::optional<std::string_view>("ł"));
  EXPECT_EQ(tok->idToToken(byteId(0xAD)), std::optional<std::string_view>("Ń"));
  EXPECT_EQ(tok->idToToken(byteId(0xFF)), std::optional<std::string_view>("ÿ"));
}

TEST_F(TinyTokenizer, Gpt2RegexSplits) {
  // "12345" is one pre-token; only "1 2" has a merge.
  EXPECT_EQ(tok->encode("12345"),
            (Ids{276, byteId('3'), byteId('4'), byteId('5')}));
  // "it" | "'s"
  EXPECT_EQ(tok->encode("it's"), (Ids{byteId('i'), byteId('t'), 275}));
  // "café" | "?"
  EXPECT_EQ(tok->encode("café?"), (Ids{273, byteId('?')}));
}

TEST_F(TinyTokenizer, WhitespaceRunsAreAddedTokens) {
  // GPT-NeoX's space-run tokens match before the pre-tokenizer, longest
  // first: "a" | "  " | "b", and "a" | "    " | " b".
  EXPECT_EQ(tok->encode("a  b"), (Ids{byteId('a'), 279, byteId('b')}));
  EXPECT_EQ(tok->encode("a     b"),
            (Ids{byteId('a'), 277, byteId(' '), byteId('b')}));
  EXPECT_EQ(tok->encode("x  "), (Ids{byteId('x'), 279}));
  EXPECT_EQ(tok->encode("   "), (Ids{278}));
}

TEST_F(TinyTokenizer, SpecialTokensInText) {
  EXPECT_EQ(tok->encode("hello<|endoftext|>world"),
            (Ids{263, 0, byteId('w'), 265, 267}));
  EXPECT_EQ(tok->encode("<|endoftext|><|padding|>"), (Ids{0, 1}));
  // A broken special token is ordinary text.
  EXPECT_EQ(tok->encode("<|endoftext|")[0], byteId('<'));
}

TEST_F(TinyTokenizer, AddedTokenFlags) {
  // <mask> has lstrip: it takes the spaces on its left, before the space-run
  // tokens (which match only after normalization) see them.
  EXPECT_EQ(tok->encode("hello <mask>"), (Ids{263, 280}));
  EXPECT_EQ(tok->encode("hello  <mask>"), (Ids{263, 280}));
  // [word] has single_word: inside a word it is plain text,
  // "a" | "[" | "word" | "]".
  EXPECT_EQ(tok->encode("[word]"), (Ids{281}));
  EXPECT_EQ(tok->encode("a[word]"), (Ids{byteId('a'), byteId('['), byteId('w'),
                                         265, byteId('d'), byteId(']')}));
  EXPECT_EQ(tok->encode("a [word] b"),
            (Ids{byteId('a'), byteId(' '), 281, byteId(' '), byteId('b')}));
}

TEST_F(TinyTokenizer, NfcComposesBeforeMatching) {
  // e + U+0301 composes to é, which the merges know.
  EXPECT_EQ(tok->encode("cafe\xCC\x81"), (Ids{273}));
  // "café!" is a normalized added token: it matches the composed text.
  EXPECT_EQ(tok->encode("café!"), (Ids{282}));
  EXPECT_EQ(tok->encode("cafe\xCC\x81!"), (Ids{282}));
  EXPECT_EQ(tok->decode(tok->encode("cafe\xCC\x81")), "café");
}

TEST_F(TinyTokenizer, InvalidUtf8IsTokenizedAsBytes) {
  EXPECT_EQ(tok->encode("a\xFF"
                        "b"),
            (Ids{byteId('a'), byteId(0xFF), byteId('b')}));
  EXPECT_EQ(tok->encode("\x80"), (Ids{byteId(0x80)}));
  EXPECT_EQ(tok->encode("\xE6\x97"), (Ids{byteId(0xE6), byteId(0x97)}));
  EXPECT_EQ(tok->decode({byteId('a'), byteId(0xFF), byteId('b')}),
            "a\xEF\xBF\xBD"
            "b");
  // Every byte value, alone and in a mixed soup, must go through.
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string soup;
    for (int i = 0; i < 40; ++i)
      soup.push_back(static_cast<char>(rng() & 0xFF));
    Ids ids = tok->encode(soup);
    EXPECT_FALSE(ids.empty());
  }
}

TEST_F(TinyTokenizer, EmptyString) {
  EXPECT_TRUE(tok->encode("").empty());
  EXPECT_EQ(tok->decode({}), "");
}

TEST_F(TinyTokenizer, DecodeRoundTrips) {
  const char *texts[] = {
      "hello world",
      "Hello, World! 123 \n\n  \t tabs\r\n",
      "日本語のテキスト、中文，한국어",
      "emoji 😀👍🏽 👨‍👩‍👧 🏳️‍🌈",
      "<|endoftext|> special <|padding|>",
      "a     b        c",
      "it's we'll they'd I'M",
      "x = f(y) { return [1, 2]; } // code",
      "café naïve Ωμέγα Привет",
  };
  for (const char *text : texts)
    EXPECT_EQ(tok->decode(tok->encode(text)), text) << text;
}

TEST_F(TinyTokenizer, DecodeSpecialAndUnknownIds) {
  EXPECT_EQ(tok->decode({0, 263}), "<|endoftext|>hello");
  EXPECT_EQ(tok->decode({0, 263, 1}, /*skipSpecial=*/true), "hello");
  // Added tokens outside the byte alphabet decode to themselves.
  EXPECT_EQ(tok->decode({279}), "  ");
  // Half a character is replaced; ids that name no token are skipped.
  EXPECT_EQ(tok->decode({byteId(0xC3)}), "\xEF\xBF\xBD");
  EXPECT_EQ(tok->decode({byteId('a'), 99999, -5, byteId('b')}), "ab");
  // <mask> is special, [word] is not.
  EXPECT_EQ(tok->decode({280, 281}, /*skipSpecial=*/true), "[word]");
  // An added token made only of byte-level characters goes through the
  // byte mapping like any token, as in the library: "café!" has é (U+00E9),
  // the character of byte E9, which alone is not UTF-8.
  EXPECT_EQ(tok->decode({282}), "caf\xEF\xBF\xBD!");
}

TEST_F(TinyTokenizer, Lookups) {
  EXPECT_EQ(tok->vocabSize(), 283);
  EXPECT_EQ(tok->tokenToId("hello"), 263);
  EXPECT_EQ(tok->tokenToId("<mask>"), 280);
  EXPECT_EQ(tok->tokenToId("not a token"), std::nullopt);
  EXPECT_EQ(tok->idToToken(263), std::optional<std::string_view>("hello"));
  EXPECT_EQ(tok->idToToken(277), std::optional<std::string_view>("    "));
  EXPECT_EQ(tok->idToToken(-1), std::nullopt);
  EXPECT_EQ(tok->idToToken(283), std::nullopt);
  EXPECT_TRUE(tok->isSpecial(0));
  EXPECT_TRUE(tok->isSpecial(280));
  EXPECT_FALSE(tok->isSpecial(277));
  EXPECT_FALSE(tok->isSpecial(263));
  EXPECT_EQ(tok->eosId(), 0);
  EXPECT_EQ(tok->bosId(), 0);
  EXPECT_EQ(tok->padId(), 1);
}

TEST_F(TinyTokenizer, LargeAndPathologicalInputsAreFast) {
  std::mt19937 rng(1);
  // No "!" after "café": the added token "café!" does not decode to itself.
  const char *words[] = {"hello", " world", " the",  "  ", "\n",   " 12345",
                         " café", "?",      " 日本", " 😀", "    ", "it's"};
  std::string text;
  while (text.size() < (1 << 20))
    text += words[rng() % (sizeof(words) / sizeof(words[0]))];
  const std::string inputs[] = {
      text, std::string(1 << 20, ' '), std::string(1 << 20, 'a'),
      std::string(1 << 20, '\xFF'), std::string(1 << 18, '\n')};
  for (const std::string &input : inputs) {
    auto start = std::chrono::steady_clock::now();
    Ids ids = tok->encode(input);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    EXPECT_FALSE(ids.empty());
    // A generous bound: it only has to catch quadratic behaviour on a
    // loaded machine. The measured speed is printed.
    EXPECT_LT(seconds, 5.0);
    std::printf("encode %zu bytes (%.1f MB/s), %zu ids\n", input.size(),
                input.size() / seconds / 1e6, ids.size());
    // EXPECT_EQ would print a megabyte on failure.
    EXPECT_TRUE(tok->decode(ids) == toValidUtf8(input));
  }
}

TEST_F(TinyTokenizer, ConcurrentEncodesAgree) {
  const std::string text = "hello world  café <|endoftext|> it's 12345\n";
  const Ids expected = tok->encode(text);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        if (tok->encode(text) != expected)
          ++mismatches;
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

//===----------------------------------------------------------------------===//
// Variants of the fixture
//===----------------------------------------------------------------------===//

json withoutSpaceRuns(json config) {
  json kept = json::array();
  for (const json &token : config["added_tokens"])
    if (token["content"].get<std::string>().find_first_not_of(' ') !=
        std::string::npos)
      kept.push_back(token);
  config["added_tokens"] = kept;
  return config;
}

TEST(TokenizerVariants, RegexSplitsWhitespaceWithoutAddedTokens) {
  std::optional<Tokenizer> tok = load(withoutSpaceRuns(tinyJson()));
  ASSERT_TRUE(tok);
  // \s+(?!\S) leaves the last space to the word: "a" | " " | " b".
  EXPECT_EQ(tok->encode("a  b"),
            (Ids{byteId('a'), byteId(' '), byteId(' '), byteId('b')}));
}

TEST(TokenizerVariants, UseRegexFalseKeepsOnePreToken) {
  json config = withoutSpaceRuns(tinyJson());
  config["pre_tokenizer"]["use_regex"] = false;
  std::optional<Tokenizer> tok = load(config);
  ASSERT_TRUE(tok);
  // "aĠĠb" is one word, so Ġ Ġ merges.
  EXPECT_EQ(tok->encode("a  b"), (Ids{byteId('a'), 274, byteId('b')}));
}

TEST(TokenizerVariants, AddPrefixSpace) {
  json config = tinyJson();
  config["pre_tokenizer"]["add_prefix_space"] = true;
  std::optional<Tokenizer> tok = load(config);
  ASSERT_TRUE(tok);
  EXPECT_EQ(tok->encode("hello"), (Ids{byteId(' '), 263}));
  EXPECT_EQ(tok->encode(" hello"), (Ids{byteId(' '), 263}));
  // Every piece between added tokens gets its own space.
  EXPECT_EQ(tok->encode("hello<|endoftext|>world"),
            (Ids{byteId(' '), 263, 0, 268}));
}

TEST(TokenizerVariants, NewerAndOlderFileLayouts) {
  json config = tinyJson();
  json pairs = json::array();
  for (const json &merge : config["model"]["merges"]) {
    std::string line = merge.get<std::string>();
    size_t space = line.find(' ');
    pairs.push_back({line.substr(0, space), line.substr(space + 1)});
  }
  config["model"]["merges"] = pairs;
  config["model"].erase("type");
  config["normalizer"] = {{"type", "Sequence"},
                          {"normalizers", {{{"type", "NFC"}}}}};
  config["pre_tokenizer"] = {{"type", "Sequence"},
                             {"pretokenizers", {config["pre_tokenizer"]}}};
  config["decoder"] = {{"type", "Sequence"}, {"decoders", {config["decoder"]}}};
  config["post_processor"] = {{"type", "Sequence"},
                              {"processors", {config["post_processor"]}}};
  config["model"]["dropout"] = 0.0;
  std::optional<Tokenizer> variant = load(config);
  std::optional<Tokenizer> base = load(tinyJson());
  ASSERT_TRUE(variant && base);
  for (const char *text : {"hello world", "a     b", "cafe\xCC\x81!", "it's 12",
                           "x<|endoftext|>[word] <mask>"})
    EXPECT_EQ(variant->encode(text), base->encode(text)) << text;
}

TEST(TokenizerVariants, TemplateProcessingAddsBos) {
  json config = tinyJson();
  config["post_processor"] = json::parse(R"({
    "type": "TemplateProcessing",
    "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}},
               {"Sequence": {"id": "A", "type_id": 0}}],
    "pair": [],
    "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [0],
                                         "tokens": ["<|endoftext|>"]}}})");
  std::optional<Tokenizer> tok = load(config);
  ASSERT_TRUE(tok);
  EXPECT_EQ(tok->encode("hello"), (Ids{0, 263}));
  EXPECT_EQ(tok->encode("hello", /*addSpecialTokens=*/false), (Ids{263}));
  EXPECT_EQ(tok->encode(""), (Ids{0}));
}

TEST(TokenizerVariants, NoNormalizerLeavesCombiningMarks) {
  json config = tinyJson();
  config["normalizer"] = nullptr;
  std::optional<Tokenizer> tok = load(config);
  ASSERT_TRUE(tok);
  // "cafe" | U+0301 (a mark, neither letter nor number).
  EXPECT_EQ(tok->encode("cafe\xCC\x81"),
            (Ids{272, byteId('e'), byteId(0xCC), byteId(0x81)}));
}

//===----------------------------------------------------------------------===//
// Files we refuse, with a message
//===----------------------------------------------------------------------===//

void expectRefused(const json &config, const std::string &needle) {
  Result<Tokenizer> tok = Tokenizer::fromJson(config.dump());
  ASSERT_FALSE(tok.ok());
  EXPECT_NE(tok.error().find(needle), std::string::npos) << tok.error();
}

TEST(TokenizerErrors, UnsupportedComponents) {
  json config = tinyJson();
  config["model"]["dropout"] = 0.1;
  expectRefused(config, "dropout");

  config = tinyJson();
  config["model"]["type"] = "WordPiece";
  expectRefused(config, "only \"BPE\"");

  config = tinyJson();
  config["pre_tokenizer"] = {{"type", "Metaspace"}};
  expectRefused(config, "Metaspace");

  config = tinyJson();
  config["normalizer"] = {{"type", "Lowercase"}};
  expectRefused(config, "Lowercase");

  config = tinyJson();
  config["decoder"] = nullptr;
  expectRefused(config, "decoder");

  config = tinyJson();
  config["post_processor"] = {{"type", "BertProcessing"}};
  expectRefused(config, "BertProcessing");
}

TEST(TokenizerErrors, BrokenFiles) {
  json config = tinyJson();
  config["model"]["merges"].push_back("hel");
  expectRefused(config, "model.merges[19]");

  config = tinyJson();
  config["model"]["merges"].push_back("q zz");
  expectRefused(config, "not in the vocabulary");

  config = tinyJson();
  config["model"]["vocab"]["neg"] = -3;
  expectRefused(config, "model.vocab[\"neg\"]");

  config = tinyJson();
  config["model"]["unk_token"] = "<unk>";
  expectRefused(config, "unk_token");

  config = tinyJson();
  config["added_tokens"][0].erase("id");
  expectRefused(config, "added_tokens[0]");

  config = tinyJson();
  config["post_processor"] = json::parse(
      R"({"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>"}}],
          "special_tokens": {}})");
  expectRefused(config, "<s>");

  Result<Tokenizer> notJson = Tokenizer::fromJson("{\"model\": ");
  ASSERT_FALSE(notJson.ok());
  EXPECT_NE(notJson.error().find("not valid JSON"), std::string::npos);

  Result<Tokenizer> missing =
      Tokenizer::fromFile("/nonexistent/tokenizer.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("cannot open"), std::string::npos);
}

TEST(TokenizerFiles, SpecialTokensFromConfigBesideTheFile) {
  std::string dir =
      ::testing::TempDir() + "/mamba-text-config-" + std::to_string(getpid());
  ::mkdir(dir.c_str(), 0755);
  std::ofstream(dir + "/tokenizer.json")
      << readText(dataPath("tiny-bytelevel.json"));
  std::ofstream(dir + "/special_tokens_map.json")
      << R"({"eos_token": {"content": "<|padding|>", "special": true},
             "pad_token": "<|endoftext|>"})";
  Result<Tokenizer> tok = Tokenizer::fromFile(dir + "/tokenizer.json");
  ASSERT_TRUE(tok.ok()) << tok.error();
  EXPECT_EQ(tok->eosId(), 1);
  EXPECT_EQ(tok->padId(), 0);
  // Not named there: the conventional name still applies.
  EXPECT_EQ(tok->bosId(), 0);
  std::remove((dir + "/special_tokens_map.json").c_str());
  std::remove((dir + "/tokenizer.json").c_str());
  ::rmdir(dir.c_str());
}

} // namespace
