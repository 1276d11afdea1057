//===- Tokenizer.cpp - byte-level BPE from a tokenizer.json ---------------===//
//
// The comments name the file of the Hugging Face tokenizers library (Rust
// crate `tokenizers`) whose behaviour each step reproduces.
//
//===----------------------------------------------------------------------===//

#include "runtime/text/Tokenizer.h"

#include "runtime/text/Bpe.h"
#include "runtime/text/Utf8.h"

#include <nlohmann/json.hpp>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace mamba::text {

using json = nlohmann::json;

namespace {

//===----------------------------------------------------------------------===//
// Unicode character classes
//===----------------------------------------------------------------------===//

/// The White_Space property: what `\s` means in the library's regexes
/// (Oniguruma and Rust's regex crate agree on it).
bool isWhiteSpace(uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/// Rust regex's `\w`: Alphabetic, marks, decimal digits, connector
/// punctuation and the joiners. Alphabetic is approximated by the letter
/// categories, Nl and the circled letters; the other Other_Alphabetic code
/// points are marks already.
bool isWordCharacter(uint32_t c) {
  if (c == 0x200C || c == 0x200D || (c >= 0x24B6 && c <= 0x24E9))
    return true;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_PC:
    return true;
  default:
    return false;
  }
}

/// The character that ends at `end`, or nullopt when the bytes before `end`
/// do not end with a valid character.
std::optional<Utf8Unit> characterBefore(std::string_view s, size_t end) {
  size_t start = end;
  while (start > 0 && end - start < 4) {
    --start;
    if ((static_cast<unsigned char>(s[start]) & 0xC0) != 0x80)
      break;
  }
  if (start == end)
    return std::nullopt;
  Utf8Unit unit = nextUtf8Unit(s.substr(0, end), start);
  if (unit.kind != Utf8Unit::Valid || start + unit.length != end)
    return std::nullopt;
  return unit;
}

/// The character that starts at `begin`, or nullopt.
std::optional<Utf8Unit> characterAt(std::string_view s, size_t begin) {
  if (begin >= s.size())
    return std::nullopt;
  Utf8Unit unit = nextUtf8Unit(s, begin);
  if (unit.kind != Utf8Unit::Valid)
    return std::nullopt;
  return unit;
}

//===----------------------------------------------------------------------===//
// ByteLevel: bytes <-> printable characters (GPT-2's bytes_to_unicode)
//===----------------------------------------------------------------------===//

/// Byte b maps to the character b when b is printable Latin-1 other than
/// space, and the others, in byte order, to U+0100, U+0101, ...
class ByteLevelAlphabet {
public:
  static const ByteLevelAlphabet &get() {
    static const ByteLevelAlphabet alphabet;
    return alphabet;
  }
  const std::string &encode(unsigned char b) const { return byteToChar_[b]; }
  /// The byte of a ByteLevel character, or -1.
  int byteOf(uint32_t c) const {
    return c < charToByte_.size() ? charToByte_[c] : -1;
  }

private:
  ByteLevelAlphabet() {
    charToByte_.fill(-1);
    uint32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) ||
                       (b >= 0xAE && b <= 0xFF);
      uint32_t c = printable ? b : next++;
      appendUtf8(byteToChar_[b], c);
      charToByte_[c] = static_cast<int16_t>(b);
    }
  }
  std::array<std::string, 256> byteToChar_;
  std::array<int16_t, 324> charToByte_;
};

/// The bytes the ByteLevel decoder makes of one token: each character mapped
/// back to its byte, or the token's own bytes when any character is not of
/// the alphabet (an added token such as "  ") (decoders/byte_level.rs).
std::string byteLevelDecode(std::string_view token) {
  const ByteLevelAlphabet &alphabet = ByteLevelAlphabet::get();
  std::string bytes;
  size_t pos = 0;
  while (pos < token.size()) {
    Utf8Unit unit = nextUtf8Unit(token, pos);
    int b = unit.kind == Utf8Unit::Valid ? alphabet.byteOf(unit.codePoint) : -1;
    if (b < 0)
      return std::string(token);
    bytes.push_back(static_cast<char>(b));
    pos += unit.length;
  }
  return bytes;
}

//===----------------------------------------------------------------------===//
// The GPT-2 pre-tokenizer regex
//===----------------------------------------------------------------------===//

/// GPT-2's split regex, as pre_tokenizers/byte_level.rs runs it with
/// Oniguruma, whose `\s` is the White_Space property. PCRE2's `\s`, even with
/// UCP, leaves out U+0085, so the class is spelled out.
#define MAMBA_WS                                                               \
  "\\t\\n\\x0B\\f\\r\\x20\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}"           \
  "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}"
constexpr char kGpt2Pattern[] =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^" MAMBA_WS
    "\\p{L}\\p{N}]+|[" MAMBA_WS "]+(?![^" MAMBA_WS "])|[" MAMBA_WS "]+";
#undef MAMBA_WS

class Gpt2Regex {
public:
  /// The compiled pattern, or null with `error()` set. Compiled once per
  /// process; pcre2_code is read-only during matching, so threads share it.
  static const Gpt2Regex &get() {
    static const Gpt2Regex regex;
    return regex;
  }
  const pcre2_code *code() const { return code_; }
  const std::string &error() const { return error_; }

private:
  Gpt2Regex() {
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(kGpt2Pattern),
                          PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                          &errorCode, &errorOffset, nullptr);
    if (!code_) {
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(errorCode, message, sizeof(message));
      error_ = "cannot compile the GPT-2 regex at offset " +
               std::to_string(errorOffset) + ": " +
               reinterpret_cast<const char *>(message);
      return;
    }
    // Without JIT support pcre2_match falls back to the interpreter, which
    // gives the same matches, only slower.
    pcre2_jit_compile(code_, PCRE2_JIT_COMPLETE);
  }
  ~Gpt2Regex() { pcre2_code_free(code_); }

  pcre2_code *code_ = nullptr;
  std::string error_;
};

struct MatchDataDeleter {
  void operator()(pcre2_match_data *data) const { pcre2_match_data_free(data); }
};
using MatchData = std::unique_ptr<pcre2_match_data, MatchDataDeleter>;

//===----------------------------------------------------------------------===//
// Pipeline components
//===----------------------------------------------------------------------===//

struct AddedToken {
  std::string content;
  int32_t id;
  bool special;
  bool singleWord;
  bool lstrip;
  bool rstrip;
  bool normalized;
};

/// Finds added tokens with the library's aho-corasick "leftmost longest"
/// semantics: the match that starts first, and of those the longest.
class AddedTokenMatcher {
public:
  struct Match {
    size_t begin;
    size_t end;
    size_t token;
  };

  void add(std::string pattern, size_t token) {
    if (!pattern.empty())
      patterns_.push_back({std::move(pattern), token});
  }
  /// Call once after the last `add`.
  void finish() {
    std::stable_sort(patterns_.begin(), patterns_.end(),
                     [](const Pattern &a, const Pattern &b) {
                       unsigned char fa = a.text[0], fb = b.text[0];
                       if (fa != fb)
                         return fa < fb;
                       return a.text.size() > b.text.size();
                     });
    ranges_.fill({0, 0});
    for (size_t i = 0; i < patterns_.size(); ++i) {
      auto &range = ranges_[static_cast<unsigned char>(patterns_[i].text[0])];
      if (range.second == 0)
        range.first = static_cast<uint32_t>(i);
      range.second = static_cast<uint32_t>(i + 1);
    }
  }
  std::optional<Match> find(std::string_view s, size_t from) const {
    for (size_t pos = from; pos < s.size(); ++pos) {
      auto [first, last] = ranges_[static_cast<unsigned char>(s[pos])];
      for (uint32_t i = first; i < last; ++i) {
        const std::string &text = patterns_[i].text;
        if (s.compare(pos, text.size(), text) == 0)
          return Match{pos, pos + text.size(), patterns_[i].token};
      }
    }
    return std::nullopt;
  }

private:
  struct Pattern {
    std::string text;
    size_t token;
  };
  std::vector<Pattern> patterns_;
  /// For each first byte, the [first, last) patterns that start with it,
  /// longest first.
  std::array<std::pair<uint32_t, uint32_t>, 256> ranges_;
};

struct ByteLevelPreTokenizer {
  bool addPrefixSpace;
  bool useRegex;
};

/// One step of TemplateProcessing's `single` template: the input ids (when
/// `isSequence`) or a special token's ids.
struct TemplatePiece {
  bool isSequence;
  std::vector<int32_t> ids;
};

struct TokenEntry {
  std::string text;
  /// What the decoder makes of the token.
  std::string bytes;
  bool present = false;
  bool special = false;
};

/// A piece of text, and the added token it is when `token` is set.
struct Segment {
  std::string text;
  std::optional<size_t> token;
};

} // namespace

struct Tokenizer::Impl {
  /// utf8proc options of each normalizer, applied in order.
  std::vector<utf8proc_option_t> normalizers;
  std::vector<ByteLevelPreTokenizer> preTokenizers;
  std::optional<Bpe> model;
  std::vector<AddedToken> addedTokens;
  std::unordered_map<std::string, int32_t> addedIds;
  AddedTokenMatcher rawMatcher;
  AddedTokenMatcher normalizedMatcher;
  /// The `single` templates of the post-processors, applied in order.
  std::vector<std::vector<TemplatePiece>> templates;
  std::vector<TokenEntry> tokens;
  std::optional<int32_t> eos, bos, pad;

  std::string normalize(std::string_view text) const;
  void splitAddedTokens(std::string_view text, const AddedTokenMatcher &matcher,
                        std::vector<Segment> &out) const;
  void preTokenize(std::string_view text, pcre2_match_data *matchData,
                   std::vector<std::string> &words) const;
  void appendTokenBytes(int32_t id, bool skipSpecial, std::string &out) const;
  std::optional<int32_t> idOf(const std::string &token) const;
};

namespace {

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

/// Applies one utf8proc normal form to the valid UTF-8 runs of `text`;
/// ill-formed bytes pass through unchanged.
std::string applyNormalForm(std::string_view text, utf8proc_option_t options) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t runEnd = pos;
    bool ascii = true;
    while (runEnd < text.size()) {
      Utf8Unit unit = nextUtf8Unit(text, runEnd);
      if (unit.kind != Utf8Unit::Valid)
        break;
      ascii &= unit.codePoint < 0x80;
      runEnd += unit.length;
    }
    std::string_view run = text.substr(pos, runEnd - pos);
    // ASCII is invariant under every normal form.
    utf8proc_uint8_t *mapped = nullptr;
    utf8proc_ssize_t length =
        ascii || run.empty()
            ? -1
            : utf8proc_map(
                  reinterpret_cast<const utf8proc_uint8_t *>(run.data()),
                  static_cast<utf8proc_ssize_t>(run.size()), &mapped, options);
    if (length >= 0)
      out.append(reinterpret_cast<const char *>(mapped),
                 static_cast<size_t>(length));
    else
      out.append(run);
    std::free(mapped);
    pos = runEnd;
    if (pos < text.size()) {
      size_t badLength = nextUtf8Unit(text, pos).length;
      out.append(text.substr(pos, badLength));
      pos += badLength;
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// JSON helpers
//===----------------------------------------------------------------------===//

/// Error messages name the place in the file: "tokenizer.json: model.vocab".
class JsonReader {
public:
  explicit JsonReader(std::string origin) : origin_(std::move(origin)) {}

  Error error(const std::string &where, const std::string &what) const {
    return Error(origin_ + ": " + where + " " + what);
  }

  Result<bool> getBool(const json &object, const char *key, bool fallback,
                       const std::string &where) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null())
      return fallback;
    if (!it->is_boolean())
      return error(where + "." + key, "must be true or false");
    return it->get<bool>();
  }

  Result<std::optional<std::string>>
  getOptionalString(const json &object, const char *key,
                    const std::string &where) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null())
      return std::optional<std::string>();
    if (!it->is_string())
      return error(where + "." + key, "must be a string or null");
    return std::optional<std::string>(it->get<std::string>());
  }

  Result<std::string> getType(const json &object,
                              const std::string &where) const {
    auto it = object.find("type");
    if (it == object.end() || !it->is_string())
      return error(where, "has no \"type\" string");
    return it->get<std::string>();
  }

  Result<int32_t> getId(const json &value, const std::string &where) const {
    // Ids index a table, so a huge id would make a huge table. The largest
    // vocabularies in use have about 262k tokens.
    constexpr int64_t kMaxId = int64_t(1) << 22;
    if (!value.is_number_integer())
      return error(where, "must be an integer id");
    int64_t id = value.get<int64_t>();
    if (id < 0 || id >= kMaxId)
      return error(where, "is " + std::to_string(id) + ", outside [0, " +
                              std::to_string(kMaxId) + ")");
    return static_cast<int32_t>(id);
  }

private:
  std::string origin_;
};

Status parseNormalizer(const JsonReader &reader, const json &node,
                       const std::string &where,
                       std::vector<utf8proc_option_t> &out) {
  if (node.is_null())
    return Status::success();
  if (!node.is_object())
    return reader.error(where, "must be an object or null");
  Result<std::string> type = reader.getType(node, where);
  MAMBA_TRY(type);
  // STABLE keeps the forms fixed across Unicode versions, as the standard's
  // normalization stability policy requires of NFC and friends.
  const utf8proc_option_t stable = UTF8PROC_STABLE;
  if (*type == "NFC")
    out.push_back(utf8proc_option_t(stable | UTF8PROC_COMPOSE));
  else if (*type == "NFD")
    out.push_back(utf8proc_option_t(stable | UTF8PROC_DECOMPOSE));
  else if (*type == "NFKC")
    out.push_back(
        utf8proc_option_t(stable | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
  else if (*type == "NFKD")
    out.push_back(
        utf8proc_option_t(stable | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT));
  else if (*type == "Sequence") {
    auto it = node.find("normalizers");
    if (it == node.end() || !it->is_array())
      return reader.error(where, "(Sequence) has no \"normalizers\" array");
    for (size_t i = 0; i < it->size(); ++i)
      MAMBA_TRY(parseNormalizer(
          reader, (*it)[i], where + ".normalizers[" + std::to_string(i) + "]",
          out));
  } else {
    return reader.error(where, "type \"" + *type +
                                   "\" is not supported (supported: NFC, NFD, "
                                   "NFKC, NFKD, Sequence)");
  }
  return Status::success();
}

Status parsePreTokenizer(const JsonReader &reader, const json &node,
                         const std::string &where,
                         std::vector<ByteLevelPreTokenizer> &out) {
  if (node.is_null())
    return Status::success();
  if (!node.is_object())
    return reader.error(where, "must be an object or null");
  Result<std::string> type = reader.getType(node, where);
  MAMBA_TRY(type);
  if (*type == "ByteLevel") {
    // Defaults are those of ByteLevel::default(); trim_offsets only moves
    // offsets, which this tokenizer does not report.
    Result<bool> prefix = reader.getBool(node, "add_prefix_space", true, where);
    MAMBA_TRY(prefix);
    Result<bool> useRegex = reader.getBool(node, "use_regex", true, where);
    MAMBA_TRY(useRegex);
    out.push_back({*prefix, *useRegex});
  } else if (*type == "Sequence") {
    auto it = node.find("pretokenizers");
    if (it == node.end() || !it->is_array())
      return reader.error(where, "(Sequence) has no \"pretokenizers\" array");
    for (size_t i = 0; i < it->size(); ++i)
      MAMBA_TRY(parsePreTokenizer(
          reader, (*it)[i], where + ".pretokenizers[" + std::to_string(i) + "]",
          out));
  } else {
    return reader.error(where, "type \"" + *type +
                                   "\" is not supported (supported: "
                                   "ByteLevel, Sequence)");
  }
  return Status::success();
}

Result<Bpe> parseModel(const JsonReader &reader, const json &node) {
  const std::string where = "model";
  if (!node.is_object())
    return reader.error(where, "must be an object");
  // Files written before the library tagged its models have no "type"; the
  // library then recognizes a BPE by its fields.
  auto typeIt = node.find("type");
  if (typeIt != node.end()) {
    if (!typeIt->is_string() || typeIt->get<std::string>() != "BPE")
      return reader.error(where + ".type", "is " + typeIt->dump() +
                                               "; only \"BPE\" is supported");
  } else if (!node.contains("merges")) {
    return reader.error(where, "has no \"type\" and no \"merges\": only BPE "
                               "models are supported");
  }

  auto dropout = node.find("dropout");
  if (dropout != node.end() && !dropout->is_null() &&
      !(dropout->is_number() && dropout->get<double>() == 0.0))
    return reader.error(where + ".dropout",
                        "is " + dropout->dump() +
                            ": BPE dropout samples a different tokenization "
                            "on each call, which inference must not do; set "
                            "it to null");

  auto vocabIt = node.find("vocab");
  if (vocabIt == node.end() || !vocabIt->is_object())
    return reader.error(where + ".vocab", "must be an object of token: id");
  Bpe::Vocab vocab;
  vocab.reserve(vocabIt->size());
  for (auto it = vocabIt->begin(); it != vocabIt->end(); ++it) {
    Result<int32_t> id =
        reader.getId(it.value(), "model.vocab[\"" + it.key() + "\"]");
    MAMBA_TRY(id);
    vocab.emplace(it.key(), *id);
  }

  auto mergesIt = node.find("merges");
  if (mergesIt == node.end() || !mergesIt->is_array())
    return reader.error(where + ".merges", "must be an array");
  std::vector<std::pair<std::string, std::string>> merges;
  merges.reserve(mergesIt->size());
  for (size_t i = 0; i < mergesIt->size(); ++i) {
    const json &merge = (*mergesIt)[i];
    std::string at = where + ".merges[" + std::to_string(i) + "]";
    if (merge.is_string()) {
      // "a b", split at its one space (models/bpe/serialization.rs);
      // "#version" lines of merges.txt files are skipped there too.
      std::string line = merge.get<std::string>();
      if (line.rfind("#version", 0) == 0)
        continue;
      size_t space = line.find(' ');
      if (space == std::string::npos ||
          line.find(' ', space + 1) != std::string::npos)
        return reader.error(
            at, "is \"" + line + "\", not two tokens separated by one space");
      merges.emplace_back(line.substr(0, space), line.substr(space + 1));
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
               merge[1].is_string()) {
      merges.emplace_back(merge[0].get<std::string>(),
                          merge[1].get<std::string>());
    } else {
      return reader.error(at, "must be \"a b\" or [\"a\", \"b\"]");
    }
  }

  BpeOptions options;
  Result<std::optional<std::string>> unk =
      reader.getOptionalString(node, "unk_token", where);
  MAMBA_TRY(unk);
  options.unkToken = *unk;
  Result<std::optional<std::string>> prefix =
      reader.getOptionalString(node, "continuing_subword_prefix", where);
  MAMBA_TRY(prefix);
  options.continuingSubwordPrefix = *prefix;
  Result<std::optional<std::string>> suffix =
      reader.getOptionalString(node, "end_of_word_suffix", where);
  MAMBA_TRY(suffix);
  options.endOfWordSuffix = *suffix;
  Result<bool> fuseUnk = reader.getBool(node, "fuse_unk", false, where);
  MAMBA_TRY(fuseUnk);
  options.fuseUnk = *fuseUnk;
  Result<bool> byteFallback =
      reader.getBool(node, "byte_fallback", false, where);
  MAMBA_TRY(byteFallback);
  options.byteFallback = *byteFallback;
  Result<bool> ignoreMerges =
      reader.getBool(node, "ignore_merges", false, where);
  MAMBA_TRY(ignoreMerges);
  options.ignoreMerges = *ignoreMerges;

  Result<Bpe> bpe = Bpe::create(std::move(vocab), merges, std::move(options));
  if (!bpe)
    return reader.error(where, bpe.error());
  return bpe;
}

Status parseAddedTokens(const JsonReader &reader, const json &root,
                        std::vector<AddedToken> &out) {
  auto it = root.find("added_tokens");
  if (it == root.end() || it->is_null())
    return Status::success();
  if (!it->is_array())
    return reader.error("added_tokens", "must be an array");
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < it->size(); ++i) {
    const json &node = (*it)[i];
    std::string where = "added_tokens[" + std::to_string(i) + "]";
    if (!node.is_object())
      return reader.error(where, "must be an object");
    auto content = node.find("content");
    if (content == node.end() || !content->is_string())
      return reader.error(where, "has no \"content\" string");
    auto idIt = node.find("id");
    if (idIt == node.end())
      return reader.error(where, "has no \"id\"");
    Result<int32_t> id = reader.getId(*idIt, where + ".id");
    MAMBA_TRY(id);
    AddedToken token;
    token.content = content->get<std::string>();
    token.id = *id;
    Result<bool> special = reader.getBool(node, "special", false, where);
    MAMBA_TRY(special);
    token.special = *special;
    Result<bool> singleWord = reader.getBool(node, "single_word", false, where);
    MAMBA_TRY(singleWord);
    token.singleWord = *singleWord;
    Result<bool> lstrip = reader.getBool(node, "lstrip", false, where);
    MAMBA_TRY(lstrip);
    token.lstrip = *lstrip;
    Result<bool> rstrip = reader.getBool(node, "rstrip", false, where);
    MAMBA_TRY(rstrip);
    token.rstrip = *rstrip;
    // AddedToken::from: special tokens are not normalized unless told.
    Result<bool> normalized =
        reader.getBool(node, "normalized", !token.special, where);
    MAMBA_TRY(normalized);
    token.normalized = *normalized;
    // The library ignores empty tokens and keeps the first of duplicates.
    if (token.content.empty() || !seen.insert(token.content).second)
      continue;
    out.push_back(std::move(token));
  }
  return Status::success();
}

Status parsePostProcessor(const JsonReader &reader, const json &node,
                          const std::string &where,
                          std::vector<std::vector<TemplatePiece>> &out) {
  if (node.is_null())
    return Status::success();
  if (!node.is_object())
    return reader.error(where, "must be an object or null");
  Result<std::string> type = reader.getType(node, where);
  MAMBA_TRY(type);
  // ByteLevel, as a post-processor, only trims offsets.
  if (*type == "ByteLevel")
    return Status::success();
  if (*type == "Sequence") {
    auto it = node.find("processors");
    if (it == node.end() || !it->is_array())
      return reader.error(where, "(Sequence) has no \"processors\" array");
    for (size_t i = 0; i < it->size(); ++i)
      MAMBA_TRY(parsePostProcessor(
          reader, (*it)[i], where + ".processors[" + std::to_string(i) + "]",
          out));
    return Status::success();
  }
  if (*type != "TemplateProcessing")
    return reader.error(where, "type \"" + *type +
                                   "\" is not supported (supported: "
                                   "ByteLevel, TemplateProcessing, Sequence)");

  auto specials = node.find("special_tokens");
  auto single = node.find("single");
  if (single == node.end() || !single->is_array())
    return reader.error(where, "(TemplateProcessing) has no \"single\" array");
  std::vector<TemplatePiece> pieces;
  for (size_t i = 0; i < single->size(); ++i) {
    const json &item = (*single)[i];
    std::string at = where + ".single[" + std::to_string(i) + "]";
    if (!item.is_object() || item.size() != 1)
      return reader.error(at, "must be {\"Sequence\": ...} or "
                              "{\"SpecialToken\": ...}");
    const json &body = item.begin().value();
    auto name = body.find("id");
    if (!body.is_object() || name == body.end() || !name->is_string())
      return reader.error(at, "has no \"id\" string");
    if (item.begin().key() == "Sequence") {
      if (name->get<std::string>() != "A")
        return reader.error(at, "names sequence " + name->dump() +
                                    "; a single template has only \"A\"");
      pieces.push_back({true, {}});
    } else if (item.begin().key() == "SpecialToken") {
      if (specials == node.end() || !specials->is_object() ||
          !specials->contains(name->get<std::string>()))
        return reader.error(at, "names special token " + name->dump() +
                                    ", which special_tokens does not define");
      const json &definition = (*specials)[name->get<std::string>()];
      auto ids = definition.find("ids");
      if (!definition.is_object() || ids == definition.end() ||
          !ids->is_array())
        return reader.error(where + ".special_tokens[" + name->dump() + "]",
                            "has no \"ids\" array");
      TemplatePiece piece{false, {}};
      for (const json &idNode : *ids) {
        Result<int32_t> id = reader.getId(idNode, at + ".ids");
        MAMBA_TRY(id);
        piece.ids.push_back(*id);
      }
      pieces.push_back(std::move(piece));
    } else {
      return reader.error(at, "must be {\"Sequence\": ...} or "
                              "{\"SpecialToken\": ...}");
    }
  }
  out.push_back(std::move(pieces));
  return Status::success();
}

Status checkDecoder(const JsonReader &reader, const json &node,
                    const std::string &where) {
  if (!node.is_object())
    return reader.error(where, "must be a ByteLevel decoder: the tokens of a "
                               "byte-level BPE are not text without it");
  Result<std::string> type = reader.getType(node, where);
  MAMBA_TRY(type);
  if (*type == "ByteLevel")
    return Status::success();
  if (*type == "Sequence") {
    auto it = node.find("decoders");
    if (it == node.end() || !it->is_array() || it->empty())
      return reader.error(where, "(Sequence) has no \"decoders\" array");
    for (size_t i = 0; i < it->size(); ++i)
      MAMBA_TRY(checkDecoder(reader, (*it)[i],
                             where + ".decoders[" + std::to_string(i) + "]"));
    return Status::success();
  }
  return reader.error(where, "type \"" + *type +
                                 "\" is not supported (supported: ByteLevel, "
                                 "Sequence of ByteLevel)");
}

Result<std::string> readFile(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return Error(path + ": cannot open the file");
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad())
    return Error(path + ": read error");
  return contents.str();
}

} // namespace

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

namespace {

Result<std::shared_ptr<Tokenizer::Impl>>
parseTokenizer(std::string_view text, const std::string &origin) {
  using Impl = Tokenizer::Impl;
  JsonReader reader(origin);
  json root = json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded())
    return Error(origin + ": not valid JSON");
  if (!root.is_object())
    return Error(origin + ": the top level must be an object");

  auto impl = std::make_shared<Impl>();
  auto member = [&](const char *key) -> const json & {
    static const json null;
    auto it = root.find(key);
    return it == root.end() ? null : *it;
  };
  MAMBA_TRY(parseNormalizer(reader, member("normalizer"), "normalizer",
                            impl->normalizers));
  MAMBA_TRY(parsePreTokenizer(reader, member("pre_tokenizer"), "pre_tokenizer",
                              impl->preTokenizers));
  MAMBA_TRY(parsePostProcessor(reader, member("post_processor"),
                               "post_processor", impl->templates));
  MAMBA_TRY(checkDecoder(reader, member("decoder"), "decoder"));
  Result<Bpe> model = parseModel(reader, member("model"));
  MAMBA_TRY(model);
  impl->model.emplace(model.take());
  MAMBA_TRY(parseAddedTokens(reader, root, impl->addedTokens));
  // "truncation" and "padding" are ignored: truncating a prompt or padding
  // it to a fixed length would silently change what the model is asked.

  bool usesRegex =
      std::any_of(impl->preTokenizers.begin(), impl->preTokenizers.end(),
                  [](const auto &p) { return p.useRegex; });
  if (usesRegex && !Gpt2Regex::get().code())
    return Error(origin + ": " + Gpt2Regex::get().error());

  // The id table: the model's tokens, then the added tokens, which win for
  // id -> token as in AddedVocabulary::simple_id_to_token.
  int32_t maxId = -1;
  for (const auto &[token, id] : impl->model->vocab())
    maxId = std::max(maxId, id);
  for (const AddedToken &token : impl->addedTokens)
    maxId = std::max(maxId, token.id);
  impl->tokens.resize(static_cast<size_t>(maxId + 1));
  for (const auto &[token, id] : impl->model->vocab()) {
    impl->tokens[id].text = token;
    impl->tokens[id].present = true;
  }
  std::unordered_set<std::string> specialContents;
  for (size_t i = 0; i < impl->addedTokens.size(); ++i) {
    const AddedToken &token = impl->addedTokens[i];
    impl->tokens[token.id].text = token.content;
    impl->tokens[token.id].present = true;
    impl->addedIds.emplace(token.content, token.id);
    if (token.special)
      specialContents.insert(token.content);
    if (token.normalized) {
      std::string pattern = token.content;
      for (utf8proc_option_t form : impl->normalizers)
        pattern = applyNormalForm(pattern, form);
      impl->normalizedMatcher.add(std::move(pattern), i);
    } else {
      impl->rawMatcher.add(token.content, i);
    }
  }
  impl->rawMatcher.finish();
  impl->normalizedMatcher.finish();
  // AddedVocabulary::is_special_token tests the token's string, so a model
  // token spelled like a special token counts as special too.
  for (TokenEntry &entry : impl->tokens) {
    if (!entry.present)
      continue;
    entry.special = specialContents.count(entry.text) != 0;
    entry.bytes = byteLevelDecode(entry.text);
  }

  // Conventional names, used when no config file beside tokenizer.json
  // names the tokens.
  auto special =
      [&](std::initializer_list<const char *> names) -> std::optional<int32_t> {
    for (const char *name : names) {
      auto it = impl->addedIds.find(name);
      if (it != impl->addedIds.end() && specialContents.count(name))
        return it->second;
    }
    return std::nullopt;
  };
  impl->eos = special({"<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>"});
  impl->bos = special({"<|endoftext|>", "<s>", "<|begin_of_text|>", "<bos>"});
  impl->pad = special({"<|padding|>", "<pad>", "[PAD]"});
  return impl;
}

} // namespace

Result<Tokenizer> Tokenizer::fromJson(std::string_view text,
                                      const std::string &origin) {
  Result<std::shared_ptr<Impl>> impl = parseTokenizer(text, origin);
  MAMBA_TRY(impl);
  return Tokenizer(impl.take());
}

Result<Tokenizer> Tokenizer::fromFile(const std::string &path) {
  Result<std::string> text = readFile(path);
  MAMBA_TRY(text);
  Result<std::shared_ptr<Impl>> impl = parseTokenizer(*text, path);
  MAMBA_TRY(impl);

  size_t slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::optional<std::string> names[3];
  const char *keys[3] = {"eos_token", "bos_token", "pad_token"};
  for (const char *file :
       {"special_tokens_map.json", "tokenizer_config.json"}) {
    std::ifstream probe(dir + file);
    if (!probe)
      continue;
    Result<std::string> configText = readFile(dir + file);
    MAMBA_TRY(configText);
    json config = json::parse(*configText, nullptr, false);
    if (config.is_discarded() || !config.is_object())
      return Error(dir + file + ": not a JSON object");
    for (int i = 0; i < 3; ++i)
      if (!names[i])
        names[i] = namedToken(config, keys[i]);
  }
  std::optional<int32_t> *ids[3] = {&(*impl)->eos, &(*impl)->bos,
                                    &(*impl)->pad};
  for (int i = 0; i < 3; ++i)
    if (names[i])
      *ids[i] = (*impl)->idOf(*names[i]);
  return Tokenizer(impl.take());
}

//===----------------------------------------------------------------------===//
// Encoding
//===----------------------------------------------------------------------===//

std::string Tokenizer::Impl::normalize(std::string_view text) const {
  std::string out(text);
  for (utf8proc_option_t form : normalizers)
    out = applyNormalForm(out, form);
  return out;
}

// AddedVocabulary::find_matches: the text between matches stays as plain
// segments; single_word discards a match inside a word; lstrip and rstrip
// pull the neighbouring whitespace into the token. Like the library's
// aho-corasick iterator, the search resumes after a match even when the match
// is discarded.
void Tokenizer::Impl::splitAddedTokens(std::string_view text,
                                       const AddedTokenMatcher &matcher,
                                       std::vector<Segment> &out) const {
  size_t done = 0, searchFrom = 0;
  while (std::optional<AddedTokenMatcher::Match> match =
             matcher.find(text, searchFrom)) {
    searchFrom = match->end;
    const AddedToken &token = addedTokens[match->token];
    size_t begin = match->begin, end = match->end;
    if (token.singleWord) {
      std::optional<Utf8Unit> before = characterBefore(text, begin);
      std::optional<Utf8Unit> after = characterAt(text, end);
      if ((before && isWordCharacter(before->codePoint)) ||
          (after && isWordCharacter(after->codePoint)))
        continue;
    }
    if (token.lstrip) {
      size_t newBegin = begin;
      while (std::optional<Utf8Unit> c = characterBefore(text, newBegin)) {
        if (!isWhiteSpace(c->codePoint))
          break;
        newBegin -= c->length;
      }
      begin = std::max(newBegin, done);
    }
    if (token.rstrip) {
      while (std::optional<Utf8Unit> c = characterAt(text, end)) {
        if (!isWhiteSpace(c->codePoint))
          break;
        end += c->length;
      }
    }
    if (done < begin)
      out.push_back({std::string(text.substr(done, begin - done)), {}});
    out.push_back({std::string(text.substr(begin, end - begin)), match->token});
    done = end;
  }
  if (done < text.size())
    out.push_back({std::string(text.substr(done)), {}});
}

void Tokenizer::Impl::preTokenize(std::string_view text,
                                  pcre2_match_data *matchData,
                                  std::vector<std::string> &words) const {
  words.clear();
  words.emplace_back(text);
  const ByteLevelAlphabet &alphabet = ByteLevelAlphabet::get();
  std::vector<std::string> next;
  for (const ByteLevelPreTokenizer &stage : preTokenizers) {
    next.clear();
    for (std::string &word : words) {
      if (stage.addPrefixSpace && word[0] != ' ')
        word.insert(word.begin(), ' ');
      auto emit = [&](std::string_view piece) {
        if (piece.empty())
          return;
        std::string mapped;
        mapped.reserve(piece.size() * 2);
        for (char c : piece)
          mapped += alphabet.encode(static_cast<unsigned char>(c));
        next.push_back(std::move(mapped));
      };
      if (!stage.useRegex) {
        emit(word);
        continue;
      }
      // The regex runs over each valid UTF-8 run (PCRE2 needs valid input);
      // each ill-formed piece between runs is a pre-token of its own.
      std::string_view all(word);
      size_t pos = 0;
      while (pos < all.size()) {
        size_t runEnd = pos;
        while (runEnd < all.size()) {
          Utf8Unit unit = nextUtf8Unit(all, runEnd);
          if (unit.kind != Utf8Unit::Valid)
            break;
          runEnd += unit.length;
        }
        std::string_view run = all.substr(pos, runEnd - pos);
        size_t at = 0;
        while (at < run.size()) {
          int rc = pcre2_match(
              Gpt2Regex::get().code(), reinterpret_cast<PCRE2_SPTR>(run.data()),
              run.size(), at, PCRE2_NO_UTF_CHECK, matchData, nullptr);
          // Every alternative of the pattern consumes a character and some
          // alternative matches any character, so only a PCRE2 failure (out
          // of memory, a resource limit) ends the matches early; the rest
          // then stays one pre-token.
          const PCRE2_SIZE *ovector =
              rc < 0 ? nullptr : pcre2_get_ovector_pointer(matchData);
          if (!ovector || ovector[1] <= at) {
            emit(run.substr(at));
            break;
          }
          emit(run.substr(at, ovector[0] - at));
          emit(run.substr(ovector[0], ovector[1] - ovector[0]));
          at = ovector[1];
        }
        pos = runEnd;
        while (pos < all.size()) {
          Utf8Unit unit = nextUtf8Unit(all, pos);
          if (unit.kind == Utf8Unit::Valid)
            break;
          emit(all.substr(pos, unit.length));
          pos += unit.length;
        }
      }
    }
    words.swap(next);
  }
}

std::vector<int32_t> Tokenizer::encode(std::string_view text,
                                       bool addSpecialTokens) const {
  const Impl &impl = *impl_;
  std::vector<int32_t> ids;
  MatchData matchData;
  if (const pcre2_code *code = Gpt2Regex::get().code())
    matchData.reset(pcre2_match_data_create_from_pattern(code, nullptr));

  // BPE results per pre-token for this call: text repeats its words, and
  // each call owning its cache keeps encode thread-safe.
  constexpr size_t kMaxCachedWords = 1 << 18, kMaxCachedWordLength = 256;
  std::unordered_map<std::string, std::vector<int32_t>> cache;
  std::vector<std::string> words;
  std::vector<int32_t> wordIds;

  // AddedVocabulary::extract_and_normalize, then the pre-tokenizer and model
  // on every piece that is not an added token.
  std::vector<Segment> raw, normalized;
  impl.splitAddedTokens(text, impl.rawMatcher, raw);
  for (const Segment &segment : raw) {
    if (segment.token) {
      ids.push_back(impl.addedTokens[*segment.token].id);
      continue;
    }
    normalized.clear();
    impl.splitAddedTokens(impl.normalize(segment.text), impl.normalizedMatcher,
                          normalized);
    for (const Segment &piece : normalized) {
      if (piece.token) {
        ids.push_back(impl.addedTokens[*piece.token].id);
        continue;
      }
      impl.preTokenize(piece.text, matchData.get(), words);
      for (const std::string &word : words) {
        auto it = cache.find(word);
        if (it != cache.end()) {
          ids.insert(ids.end(), it->second.begin(), it->second.end());
          continue;
        }
        wordIds.clear();
        impl.model->tokenize(word, wordIds);
        ids.insert(ids.end(), wordIds.begin(), wordIds.end());
        if (cache.size() < kMaxCachedWords &&
            word.size() <= kMaxCachedWordLength)
          cache.emplace(word, wordIds);
      }
    }
  }

  if (!addSpecialTokens)
    return ids;
  for (const std::vector<TemplatePiece> &pieces : impl.templates) {
    std::vector<int32_t> wrapped;
    for (const TemplatePiece &piece : pieces) {
      const std::vector<int32_t> &part = piece.isSequence ? ids : piece.ids;
      wrapped.insert(wrapped.end(), part.begin(), part.end());
    }
    ids.swap(wrapped);
  }
  return ids;
}

//===----------------------------------------------------------------------===//
// Decoding and lookups
//===----------------------------------------------------------------------===//

void Tokenizer::Impl::appendTokenBytes(int32_t id, bool skipSpecial,
                                       std::string &out) const {
  if (id < 0 || static_cast<size_t>(id) >= tokens.size())
    return;
  const TokenEntry &entry = tokens[id];
  if (entry.present && !(skipSpecial && entry.special))
    out += entry.bytes;
}

std::string Tokenizer::decode(const std::vector<int32_t> &ids,
                              bool skipSpecial) const {
  std::string bytes;
  for (int32_t id : ids)
    impl_->appendTokenBytes(id, skipSpecial, bytes);
  return toValidUtf8(bytes);
}

int64_t Tokenizer::vocabSize() const {
  return static_cast<int64_t>(impl_->tokens.size());
}

std::optional<int32_t> Tokenizer::Impl::idOf(const std::string &token) const {
  auto added = addedIds.find(token);
  if (added != addedIds.end())
    return added->second;
  auto it = model->vocab().find(token);
  if (it != model->vocab().end())
    return it->second;
  return std::nullopt;
}

std::optional<int32_t> Tokenizer::tokenToId(std::string_view token) const {
  return impl_->idOf(std::string(token));
}

std::optional<std::string_view> Tokenizer::idToToken(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= impl_->tokens.size() ||
      !impl_->tokens[id].present)
    return std::nullopt;
  return std::string_view(impl_->tokens[id].text);
}

bool Tokenizer::isSpecial(int32_t id) const {
  return id >= 0 && static_cast<size_t>(id) < impl_->tokens.size() &&
         impl_->tokens[id].special;
}

std::optional<int32_t> Tokenizer::eosId() const { return impl_->eos; }
std::optional<int32_t> Tokenizer::bosId() const { return impl_->bos; }
std::optional<int32_t> Tokenizer::padId() const { return impl_->pad; }

StreamDecoder::StreamDecoder(const Tokenizer &tokenizer, bool skipSpecial)
    : impl_(tokenizer.impl_), skipSpecial_(skipSpecial) {}

std::string StreamDecoder::push(int32_t id) {
  impl_->appendTokenBytes(id, skipSpecial_, pending_);
  size_t keep = incompleteUtf8Suffix(pending_);
  std::string text =
      toValidUtf8(std::string_view(pending_).substr(0, pending_.size() - keep));
  pending_.erase(0, pending_.size() - keep);
  return text;
}

std::string StreamDecoder::finish() {
  std::string text = toValidUtf8(pending_);
  pending_.clear();
  return text;
}

std::optional<std::string> namedToken(const json &config, const char *key) {
  auto it = config.find(key);
  if (it == config.end())
    return std::nullopt;
  if (it->is_string())
    return it->get<std::string>();
  if (it->is_object()) {
    auto content = it->find("content");
    if (content != it->end() && content->is_string())
      return content->get<std::string>();
  }
  return std::nullopt;
}

} // namespace mamba::text
