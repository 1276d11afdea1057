//===- StreamDecoderTest.cpp - incremental detokenization -----------------===//

#include "TestData.h"

#include <random>

using namespace mamba;
using namespace mamba::text;
using namespace mamba::text::test;

namespace {

class StreamDecoding : public ::testing::Test {
protected:
  void SetUp() override {
    Result<Tokenizer> loaded =
        Tokenizer::fromFile(dataPath("tiny-bytelevel.json"));
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    tok.emplace(loaded.take());
  }
  std::optional<Tokenizer> tok;
};

TEST_F(StreamDecoding, HoldsBackSplitCharacters) {
  StreamDecoder stream(*tok);
  // é is C3 A9, one byte token each.
  EXPECT_EQ(stream.push(byteId(0xC3)), "");
  EXPECT_EQ(stream.push(byteId(0xA9)), "é");
  // 😀 is F0 9F 98 80.
  EXPECT_EQ(stream.push(263), "hello");
  EXPECT_EQ(stream.push(byteId(0xF0)), "");
  EXPECT_EQ(stream.push(byteId(0x9F)), "");
  EXPECT_EQ(stream.push(byteId(0x98)), "");
  EXPECT_EQ(stream.push(byteId(0x80)), "😀");
  EXPECT_EQ(stream.finish(), "");
}

TEST_F(StreamDecoding, MultiByteTokenCompletesAPendingCharacter) {
  StreamDecoder stream(*tok);
  // "café" as c a f + C3, then A9 + "!": the second token finishes é.
  EXPECT_EQ(stream.push(272), "caf");
  EXPECT_EQ(stream.push(byteId(0xC3)), "");
  EXPECT_EQ(stream.push(byteId(0xA9)), "é");
  EXPECT_EQ(stream.push(byteId('!')), "!");
}

TEST_F(StreamDecoding, IllFormedBytesAreReplacedNotHeld) {
  StreamDecoder stream(*tok);
  EXPECT_EQ(stream.push(byteId(0xC3)), "");
  // 'x' cannot continue C3: the replacement and the x come out together.
  EXPECT_EQ(stream.push(byteId('x')), "\xEF\xBF\xBDx");
  EXPECT_EQ(stream.push(byteId(0xFF)), "\xEF\xBF\xBD");
  // finish() replaces an incomplete character and resets.
  EXPECT_EQ(stream.push(byteId(0xE2)), "");
  EXPECT_EQ(stream.finish(), "\xEF\xBF\xBD");
  EXPECT_EQ(stream.push(byteId('y')), "y");
}

TEST_F(StreamDecoding, SpecialTokens) {
  StreamDecoder keep(*tok);
  EXPECT_EQ(keep.push(0), "<|endoftext|>");
  StreamDecoder skip(*tok, /*skipSpecial=*/true);
  EXPECT_EQ(skip.push(0), "");
  EXPECT_EQ(skip.push(279), "  ");
}

TEST_F(StreamDecoding, ConcatenationEqualsDecode) {
  std::mt19937 rng(3);
  for (int round = 0; round < 2000; ++round) {
    std::vector<int32_t> ids(rng() % 12);
    for (int32_t &id : ids) {
      // Mostly bytes of multi-byte characters, so that characters split.
      uint32_t r = rng();
      id = r % 4 == 0 ? static_cast<int32_t>(r % 290) - 2
                      : byteId(0x80 + (r >> 8) % 0x78);
    }
    for (bool skipSpecial : {false, true}) {
      StreamDecoder stream(*tok, skipSpecial);
      std::string streamed;
      for (int32_t id : ids)
        streamed += stream.push(id);
      streamed += stream.finish();
      EXPECT_EQ(streamed, tok->decode(ids, skipSpecial));
    }
  }
}

TEST_F(StreamDecoding, OutlivesTheTokenizerObject) {
  std::optional<StreamDecoder> stream;
  {
    Result<Tokenizer> copy =
        Tokenizer::fromFile(dataPath("tiny-bytelevel.json"));
    ASSERT_TRUE(copy.ok());
    stream.emplace(*copy);
  }
  EXPECT_EQ(stream->push(263), "hello");
}

} // namespace
