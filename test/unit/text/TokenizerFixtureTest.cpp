//===- TokenizerFixtureTest.cpp - agreement with HF tokenizers ------------===//
//
// test/data/text/neox-like/ holds a GPT-NeoX-shaped tokenizer.json (~50k
// tokens, NFC, ByteLevel, space-run added tokens) and cases.json, the ids and
// texts the Hugging Face tokenizers library produced for several hundred
// strings. scripts/make_tokenizer_fixtures.py writes both; it needs that
// library, so where they are missing the test is skipped and says so.
//
//===----------------------------------------------------------------------===//

#include "TestData.h"

#include <chrono>
#include <cstdio>
#include <sstream>

using namespace mamba;
using namespace mamba::text;
using namespace mamba::text::test;
using json = nlohmann::json;
using Ids = std::vector<int32_t>;

namespace {

bool fileExists(const std::string &path) {
  return static_cast<bool>(std::ifstream(path));
}

std::string show(const Ids &ids) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < ids.size(); ++i)
    out << (i ? ", " : "") << ids[i];
  out << "]";
  return out.str();
}

class NeoxLikeFixture : public ::testing::Test {
protected:
  void SetUp() override {
    std::string dir = dataPath("neox-like");
    std::string tokenizerPath = dir + "/tokenizer.json";
    std::string casesPath = dir + "/cases.json";
    if (!fileExists(tokenizerPath) || !fileExists(casesPath))
      GTEST_SKIP() << "fixture missing: " << tokenizerPath << " and "
                   << casesPath
                   << " are made by scripts/make_tokenizer_fixtures.py, "
                      "which needs the Hugging Face tokenizers library";
    Result<Tokenizer> loaded = Tokenizer::fromFile(tokenizerPath);
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    tok.emplace(loaded.take());
    cases = json::parse(readText(casesPath), nullptr, false);
    ASSERT_FALSE(cases.is_discarded()) << casesPath << " is not JSON";
    std::printf("fixture made by tokenizers %s\n",
                cases.value("tokenizers_version", "?").c_str());
  }

  std::optional<Tokenizer> tok;
  json cases;
};

TEST_F(NeoxLikeFixture, Vocabulary) {
  EXPECT_EQ(tok->vocabSize(), cases.at("vocab_size").get<int64_t>());
  EXPECT_EQ(tok->eosId(), 0);
  EXPECT_EQ(tok->tokenToId("<|endoftext|>"), 0);
  EXPECT_TRUE(tok->isSpecial(0));
}

TEST_F(NeoxLikeFixture, EncodeAndDecodeEveryCase) {
  int failures = 0;
  const int kShown = 20;
  for (const json &c : cases.at("encode")) {
    std::string text = c.at("text").get<std::string>();
    Ids expected = c.at("ids").get<Ids>();
    Ids ids = tok->encode(text);
    std::string decoded = tok->decode(expected);
    std::string decodedSkip = tok->decode(expected, /*skipSpecial=*/true);
    StreamDecoder stream(*tok);
    std::string streamed;
    for (int32_t id : expected)
      streamed += stream.push(id);
    streamed += stream.finish();

    bool ok = ids == expected && decoded == c.at("decoded") &&
              decodedSkip == c.at("decoded_skip_special") &&
              streamed == decoded;
    if (!ok && failures++ < kShown)
      ADD_FAILURE() << "text " << json(text).dump()
                    << "\n  encode:   " << show(ids)
                    << "\n  expected: " << show(expected)
                    << "\n  decode(expected ids): " << json(decoded).dump()
                    << "\n  expected:             " << c.at("decoded").dump()
                    << "\n  ... skipping special: " << json(decodedSkip).dump()
                    << "\n  expected:             "
                    << c.at("decoded_skip_special").dump()
                    << "\n  ... streamed:         " << json(streamed).dump();
  }
  EXPECT_EQ(failures, 0) << failures << " of " << cases.at("encode").size()
                         << " encode cases differ (the first " << kShown
                         << " are shown)";
}

TEST_F(NeoxLikeFixture, DecodeArbitraryIds) {
  int failures = 0;
  for (const json &c : cases.at("decode")) {
    Ids ids = c.at("ids").get<Ids>();
    std::string text = tok->decode(ids);
    std::string textSkip = tok->decode(ids, /*skipSpecial=*/true);
    // These ids cut characters apart, which streaming must survive.
    StreamDecoder stream(*tok, /*skipSpecial=*/true);
    std::string streamed;
    for (int32_t id : ids)
      streamed += stream.push(id);
    streamed += stream.finish();
    if ((text != c.at("text") || textSkip != c.at("text_skip_special") ||
         streamed != textSkip) &&
        failures++ < 20)
      ADD_FAILURE() << "ids " << show(ids)
                    << "\n  decode:   " << json(text).dump()
                    << "\n  expected: " << c.at("text").dump()
                    << "\n  skipping special: " << json(textSkip).dump()
                    << "\n  expected:         "
                    << c.at("text_skip_special").dump()
                    << "\n  ... streamed:     " << json(streamed).dump();
  }
  EXPECT_EQ(failures, 0) << failures << " of " << cases.at("decode").size()
                         << " decode cases differ (the first 20 are shown)";
}

TEST_F(NeoxLikeFixture, EncodeSpeed) {
  std::string text;
  while (text.size() < (1 << 20))
    for (const json &c : cases.at("encode"))
      text += c.at("text").get<std::string>() + "\n";
  auto start = std::chrono::steady_clock::now();
  Ids ids = tok->encode(text);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("encoded %zu bytes into %zu ids in %.3f s (%.1f MB/s)\n",
              text.size(), ids.size(), seconds, text.size() / seconds / 1e6);
  EXPECT_LT(seconds, 5.0);
}

} // namespace
