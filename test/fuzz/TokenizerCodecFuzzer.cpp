//===- TokenizerCodecFuzzer.cpp - fuzz encode/decode of arbitrary bytes ---===//
//
// The input is any text, encoded and decoded with the demo model's
// tokenizer (byte-level BPE, NFC normalizer, one special token). For valid
// UTF-8 the round trip must give the text back exactly, normalized to NFC as
// the tokenizer's normalizer does (so exactly `s` when `s` is in NFC); for
// any bytes, decode must give valid UTF-8 and the streaming decoder must
// agree with it.
//
//===----------------------------------------------------------------------===//

#include "runtime/text/Tokenizer.h"
#include "runtime/text/Utf8.h"

#include <cstdio>
#include <cstdlib>
#include <utf8proc.h>

using mamba::text::StreamDecoder;
using mamba::text::Tokenizer;

static const Tokenizer &demoTokenizer() {
  static const Tokenizer tok = [] {
    auto t = Tokenizer::fromFile(MAMBA_DEMO_TOKENIZER);
    if (!t) {
      std::fprintf(stderr, "%s\n", t.error().c_str());
      std::abort();
    }
    return t.take();
  }();
  return tok;
}

static bool isValidUtf8(std::string_view s) {
  return mamba::text::toValidUtf8(s) == s;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const Tokenizer &tok = demoTokenizer();
  std::string_view text(reinterpret_cast<const char *>(data), size);
  std::vector<int32_t> ids = tok.encode(text, /*addSpecialTokens=*/false);
  std::string back = tok.decode(ids);
  if (!isValidUtf8(back))
    std::abort();
  StreamDecoder stream(tok);
  std::string pieces;
  for (int32_t id : ids)
    pieces += stream.push(id);
  if (pieces + stream.finish() != back)
    std::abort();
  if (isValidUtf8(text) && text.find('\0') == std::string_view::npos) {
    std::string s(text);
    char *nfc = reinterpret_cast<char *>(
        utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t *>(s.c_str())));
    if (!nfc)
      std::abort();
    bool same = back == nfc;
    if (!same)
      std::fprintf(stderr, "round trip: %zu bytes in, %zu out, NFC %zu\n",
                   s.size(), back.size(), std::string(nfc).size());
    std::free(nfc);
    if (!same)
      std::abort();
  }
  return 0;
}
