//===- Utf8.cpp - UTF-8 scanning that never rejects input -----------------===//

#include "runtime/text/Utf8.h"

namespace mamba::text {

namespace {

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

} // namespace

Utf8Unit nextUtf8Unit(std::string_view s, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(pos);
  if (lead < 0x80)
    return {Utf8Unit::Valid, 1, lead};

  // The allowed range of the second byte depends on the lead byte; this is
  // what rules out overlong forms, surrogates and code points past U+10FFFF
  // (Table 3-7 of the Unicode standard).
  size_t width;
  unsigned char lo = 0x80, hi = 0xBF;
  uint32_t cp;
  if (lead >= 0xC2 && lead <= 0xDF) {
    width = 2;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    width = 3;
    cp = lead & 0x0F;
    if (lead == 0xE0)
      lo = 0xA0;
    else if (lead == 0xED)
      hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    width = 4;
    cp = lead & 0x07;
    if (lead == 0xF0)
      lo = 0x90;
    else if (lead == 0xF4)
      hi = 0x8F;
  } else {
    return {Utf8Unit::Invalid, 1, 0};
  }

  for (size_t i = 1; i < width; ++i) {
    if (pos + i >= s.size())
      return {Utf8Unit::Truncated, i, 0};
    unsigned char c = byte(pos + i);
    bool ok = i == 1 ? (c >= lo && c <= hi) : isContinuation(c);
    if (!ok)
      return {Utf8Unit::Invalid, i, 0};
    cp = (cp << 6) | (c & 0x3F);
  }
  return {Utf8Unit::Valid, width, cp};
}

std::string toValidUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  size_t pos = 0;
  while (pos < bytes.size()) {
    Utf8Unit unit = nextUtf8Unit(bytes, pos);
    if (unit.kind == Utf8Unit::Valid)
      out.append(bytes.substr(pos, unit.length));
    else
      out.append("\xEF\xBF\xBD");
    pos += unit.length;
  }
  return out;
}

size_t incompleteUtf8Suffix(std::string_view bytes) {
  // A character is at most 4 bytes, so only the last 3 can start an
  // incomplete one.
  size_t start = bytes.size() > 3 ? bytes.size() - 3 : 0;
  for (size_t pos = start; pos < bytes.size(); ++pos) {
    if (isContinuation(static_cast<unsigned char>(bytes[pos])))
      continue;
    Utf8Unit unit = nextUtf8Unit(bytes, pos);
    if (unit.kind == Utf8Unit::Truncated)
      return bytes.size() - pos;
  }
  return 0;
}

void appendUtf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

} // namespace mamba::text
