//===- TokenizerJsonFuzzer.cpp - fuzz tokenizer.json loading --------------===//
//
// The input is a tokenizer.json. A tokenizer that loads must encode and
// decode a fixed text and its own JSON without crashing, and its streaming
// decoder must agree with decode().
//
//===----------------------------------------------------------------------===//

#include "test/fuzz/FuzzUtil.h"

#include "runtime/text/Tokenizer.h"

#include <cstdlib>

using mamba::text::StreamDecoder;
using mamba::text::Tokenizer;

static void exercise(const Tokenizer &tok, std::string_view text) {
  for (bool special : {false, true}) {
    std::vector<int32_t> ids = tok.encode(text, special);
    std::string whole = tok.decode(ids, special);
    StreamDecoder stream(tok, special);
    std::string pieces;
    for (int32_t id : ids)
      pieces += stream.push(id);
    pieces += stream.finish();
    if (pieces != whole)
      std::abort(); // documented: pushes + finish == decode
    for (int32_t id : ids)
      if (id < 0 || id >= tok.vocabSize() || !tok.idToToken(id))
        std::abort(); // encode only produces ids of tokens
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view json(reinterpret_cast<const char *>(data), size);
  auto tok = Tokenizer::fromJson(json, "tokenizer.json");
  if (mamba::fuzz::failedNaming(tok, "tokenizer.json"))
    return 0;
  exercise(*tok,
           "Hello, world! \xc3\xa9t\xc3\xa9  caf\xc3\xa9!\n\t<mask> 12345");
  exercise(*tok, json.substr(0, 512));
  return 0;
}
