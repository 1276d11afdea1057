//===- Utf8.h - UTF-8 scanning that never rejects input ---------*- C++ -*-===//
//
// Text reaches the tokenizer as raw bytes (a prompt file, a command line) and
// leaves it as raw bytes (a token may end inside a character). These helpers
// split bytes into characters and into the invalid pieces between them, the
// way Rust's `String::from_utf8_lossy` does ("substitution of maximal
// subparts", Unicode 15 section 3.9), so that our decode output matches the
// Hugging Face tokenizers library byte for byte.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_TEXT_UTF8_H
#define MAMBA_RUNTIME_TEXT_UTF8_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mamba::text {

/// One step of a UTF-8 scan.
struct Utf8Unit {
  enum Kind {
    /// A well-formed character; `codePoint` holds it.
    Valid,
    /// A maximal subpart of an ill-formed sequence: one U+FFFD replaces it.
    Invalid,
    /// A well-formed prefix of a character that the input cuts short.
    Truncated,
  };
  Kind kind;
  /// Bytes consumed, at least 1.
  size_t length;
  uint32_t codePoint;
};

/// Scans the unit that starts at `s[pos]` (`pos < s.size()`).
Utf8Unit nextUtf8Unit(std::string_view s, size_t pos);

/// `bytes` with every ill-formed or truncated piece replaced by U+FFFD.
std::string toValidUtf8(std::string_view bytes);

/// The number of trailing bytes of `bytes` that form a well-formed but
/// incomplete character (0 to 3): a stream must hold these back until the
/// next bytes arrive.
size_t incompleteUtf8Suffix(std::string_view bytes);

/// Appends the UTF-8 encoding of `codePoint` (at most U+10FFFF).
void appendUtf8(std::string &out, uint32_t codePoint);

} // namespace mamba::text

#endif // MAMBA_RUNTIME_TEXT_UTF8_H
