//===- Tokenizer.h - byte-level BPE from a tokenizer.json -------*- C++ -*-===//
//
// Loads the `tokenizer.json` that the Hugging Face tokenizers library writes
// for GPT-NeoX-style models (GPT-NeoX-20B, the Mamba and Pythia checkpoints)
// and reproduces that library's encode and decode:
//
//   text -> added tokens split out, then normalizer (NFC), then the tokens
//   that match only after normalization split out -> ByteLevel pre-tokenizer
//   (GPT-2 regex, bytes mapped to printable characters) -> BPE merges ->
//   post-processor (TemplateProcessing adds e.g. a BOS) -> ids.
//
//   ids -> token strings -> ByteLevel decoder (characters back to bytes) ->
//   ill-formed UTF-8 replaced by U+FFFD.
//
// Components a file may name that this class does not implement (a WordPiece
// model, a Metaspace pre-tokenizer, BPE dropout, ...) make `fromFile` fail
// with a message that names them; nothing is silently approximated.
//
// A Tokenizer is immutable after loading. Copies share that state, and every
// const method may be called from many threads at once.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_TEXT_TOKENIZER_H
#define MAMBA_RUNTIME_TEXT_TOKENIZER_H

#include "runtime/Result.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mamba::text {

class Tokenizer {
public:
  /// Reads a tokenizer.json. The ids of the eos, bos and pad tokens are taken
  /// from `special_tokens_map.json` or `tokenizer_config.json` when one of
  /// them sits beside it (as in a Hugging Face model directory), and
  /// otherwise from the conventional names of the file's special added tokens
  /// (`<|endoftext|>` is both eos and bos in the GPT-2 / GPT-NeoX family).
  static Result<Tokenizer> fromFile(const std::string &path);
  /// Parses the contents of a tokenizer.json; only the conventional names
  /// give the eos, bos and pad ids. `origin` names the text in messages.
  static Result<Tokenizer>
  fromJson(std::string_view json, const std::string &origin = "tokenizer.json");

  /// The ids of `text`. Added tokens (special or not) written in the text are
  /// recognized. Bytes that are not valid UTF-8 are tokenized as bytes.
  /// `addSpecialTokens` applies the post-processor, as the library's
  /// `encode(text, add_special_tokens=True)` does.
  std::vector<int32_t> encode(std::string_view text,
                              bool addSpecialTokens = true) const;

  /// The text of `ids`. Ids that name no token are skipped, as the library
  /// does; bytes that do not form valid UTF-8 become U+FFFD.
  std::string decode(const std::vector<int32_t> &ids,
                     bool skipSpecial = false) const;

  /// One more than the largest id of any token: the number of logit rows
  /// that can be sampled.
  int64_t vocabSize() const;
  /// Added tokens first, then the model's vocabulary, as the library does.
  std::optional<int32_t> tokenToId(std::string_view token) const;
  /// The token's string as stored (byte-level characters, e.g. "Ġthe"),
  /// valid while this tokenizer or a copy of it lives.
  std::optional<std::string_view> idToToken(int32_t id) const;
  bool isSpecial(int32_t id) const;

  std::optional<int32_t> eosId() const;
  std::optional<int32_t> bosId() const;
  std::optional<int32_t> padId() const;

  /// The loaded state, defined in Tokenizer.cpp.
  struct Impl;

private:
  explicit Tokenizer(std::shared_ptr<const Impl> impl)
      : impl_(std::move(impl)) {}
  friend class StreamDecoder;

  std::shared_ptr<const Impl> impl_;
};

/// Decodes ids one at a time for streaming output. Each `push` returns the
/// text that the new id completes; bytes that begin a multi-byte character
/// are held back until the character is complete. The concatenation of all
/// pushes and `finish` equals `Tokenizer::decode` of all ids. It shares the
/// tokenizer's state, so it may outlive the Tokenizer object.
class StreamDecoder {
public:
  explicit StreamDecoder(const Tokenizer &tokenizer, bool skipSpecial = false);

  std::string push(int32_t id);
  /// Returns what is still held back (an incomplete character becomes
  /// U+FFFD) and resets the decoder.
  std::string finish();

private:
  std::shared_ptr<const Tokenizer::Impl> impl_;
  bool skipSpecial_;
  std::string pending_;
};

/// The token a special_tokens_map.json or tokenizer_config.json names for
/// `key`: a string, or an AddedToken object with "content"; none otherwise.
std::optional<std::string> namedToken(const nlohmann::json &config,
                                      const char *key);

} // namespace mamba::text

#endif // MAMBA_RUNTIME_TEXT_TOKENIZER_H
