//===- Utf8Test.cpp - lossy UTF-8 as Rust's from_utf8_lossy ---------------===//
//
// The replacement counts are those of the Unicode standard's "maximal
// subpart" practice (Unicode 15, section 3.9, table 3-8), which
// `String::from_utf8_lossy` follows.
//
//===----------------------------------------------------------------------===//

#include "runtime/text/Utf8.h"

#include <gtest/gtest.h>

using namespace mamba::text;

namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string repeat(const std::string &s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += s;
  return out;
}

TEST(Utf8, ValidTextIsUnchanged) {
  for (const char *text :
       {"", "ascii", "é", "日本語", "😀👨‍👩‍👧", "\x7F"})
    EXPECT_EQ(toValidUtf8(text), text);
}

TEST(Utf8, MaximalSubparts) {
  // Table 3-8 of the standard: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64.
  EXPECT_EQ(toValidUtf8("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            "a" + repeat(kFffd, 3) + "b" + kFffd + "c" + repeat(kFffd, 2) +
                "d");
  // Overlong forms, surrogates and code points past U+10FFFF are ill-formed
  // from their first byte's range check on.
  EXPECT_EQ(toValidUtf8("\xC0\x80"), repeat(kFffd, 2));
  EXPECT_EQ(toValidUtf8("\xE0\x80\x80"), repeat(kFffd, 3));
  EXPECT_EQ(toValidUtf8("\xED\xA0\x80"), repeat(kFffd, 3));
  EXPECT_EQ(toValidUtf8("\xF4\x90\x80\x80"), repeat(kFffd, 4));
  EXPECT_EQ(toValidUtf8("\xF5\x80"), repeat(kFffd, 2));
  // A truncated character is one replacement, whatever its length.
  EXPECT_EQ(toValidUtf8("\xF0\x9F\x98"), kFffd);
  EXPECT_EQ(toValidUtf8("\xF0\x9F\x98x"), kFffd + "x");
  EXPECT_EQ(toValidUtf8("\xE2\x82"), kFffd);
}

TEST(Utf8, Units) {
  Utf8Unit euro = nextUtf8Unit("\xE2\x82\xAC", 0);
  EXPECT_EQ(euro.kind, Utf8Unit::Valid);
  EXPECT_EQ(euro.length, 3u);
  EXPECT_EQ(euro.codePoint, 0x20ACu);
  Utf8Unit cut = nextUtf8Unit("\xE2\x82", 0);
  EXPECT_EQ(cut.kind, Utf8Unit::Truncated);
  EXPECT_EQ(cut.length, 2u);
  Utf8Unit bad = nextUtf8Unit("\xE2\x28", 0);
  EXPECT_EQ(bad.kind, Utf8Unit::Invalid);
  EXPECT_EQ(bad.length, 1u);
}

TEST(Utf8, IncompleteSuffix) {
  EXPECT_EQ(incompleteUtf8Suffix(""), 0u);
  EXPECT_EQ(incompleteUtf8Suffix("abc"), 0u);
  EXPECT_EQ(incompleteUtf8Suffix("a\xF0"), 1u);
  EXPECT_EQ(incompleteUtf8Suffix("a\xF0\x9F"), 2u);
  EXPECT_EQ(incompleteUtf8Suffix("a\xF0\x9F\x98"), 3u);
  EXPECT_EQ(incompleteUtf8Suffix("a\xF0\x9F\x98\x80"), 0u);
  // Ill-formed endings are not held back: they will never complete.
  EXPECT_EQ(incompleteUtf8Suffix("a\xC0"), 0u);
  EXPECT_EQ(incompleteUtf8Suffix("a\xE0\x80"), 0u);
  EXPECT_EQ(incompleteUtf8Suffix("\xC3\xE2\x82"), 2u);
}

TEST(Utf8, AppendRoundTrips) {
  for (uint32_t cp : {0x0u, 0x41u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xFFFFu,
                      0x10000u, 0x10FFFFu}) {
    std::string s;
    appendUtf8(s, cp);
    Utf8Unit unit = nextUtf8Unit(s, 0);
    EXPECT_EQ(unit.kind, Utf8Unit::Valid) << cp;
    EXPECT_EQ(unit.length, s.size()) << cp;
    EXPECT_EQ(unit.codePoint, cp);
  }
}

} // namespace
