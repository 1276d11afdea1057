//===- TestData.h - shared helpers of the text tests ------------*- C++ -*-===//
#ifndef MAMBA_TEST_UNIT_TEXT_TESTDATA_H
#define MAMBA_TEST_UNIT_TEXT_TESTDATA_H

#include "runtime/text/Tokenizer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace mamba::text::test {

inline std::string dataPath(const std::string &name) {
  return std::string(MAMBA_TEXT_TEST_DATA) + "/" + name;
}

inline std::string readText(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

/// test/data/text/tiny-bytelevel.json: GPT-NeoX's layout in miniature. Ids:
/// <|endoftext|> 0, <|padding|> 1, byte b 2 + b, then one id per merge in
/// the order of the merges (he 258 ... 12 276), then the added tokens
/// "    " 277, "   " 278, "  " 279, <mask> 280 (special, lstrip),
/// [word] 281 (single_word), "café!" 282 (normalized).
inline nlohmann::json tinyJson() {
  return nlohmann::json::parse(readText(dataPath("tiny-bytelevel.json")));
}

/// The tokenizer of `config`, or nullopt after recording a test failure.
inline std::optional<Tokenizer> load(const nlohmann::json &config) {
  Result<Tokenizer> tokenizer = Tokenizer::fromJson(config.dump());
  if (!tokenizer.ok()) {
    ADD_FAILURE() << tokenizer.error();
    return std::nullopt;
  }
  return tokenizer.take();
}

/// The id of byte b in the tiny tokenizer.
constexpr int32_t byteId(unsigned char b) { return 2 + b; }

} // namespace mamba::text::test

#endif // MAMBA_TEST_UNIT_TEXT_TESTDATA_H
