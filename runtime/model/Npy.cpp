//===- Npy.cpp - read and write NumPy .npy files --------------------------===//
//
// Format: "\x93NUMPY", major, minor, a little-endian header length (2 bytes
// in version 1, 4 in versions 2 and 3), then a Python dict literal with
// 'descr', 'fortran_order' and 'shape', padded with spaces to a multiple of
// 64 bytes, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "runtime/model/Npy.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <string_view>

using namespace mamba;

namespace {

/// The parsed header of a .npy file and where its data starts.
struct NpyFile {
  std::vector<char> bytes;
  std::string descr;
  std::vector<int64_t> shape;
  size_t data = 0;
  int64_t count = 1;
};

/// A reader of the header's Python dict literal, e.g.
///   {'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }
/// as numpy writes it: string keys, a string, a bool and a tuple of
/// non-negative ints, each key once. Anything else is refused with the rule
/// it breaks.
class HeaderParser {
public:
  HeaderParser(std::string_view text, const std::string &path)
      : s_(text), path_(path) {}

  Status parse(NpyFile &f) {
    bool seenDescr = false, seenOrder = false, seenShape = false;
    bool fortran = false;
    skipSpace();
    if (!eat('{'))
      return error("the header must be a Python dict literal starting with "
                   "'{'");
    for (;;) {
      skipSpace();
      if (eat('}'))
        break;
      std::string key;
      MAMBA_TRY(readString(key, "a key"));
      skipSpace();
      if (!eat(':'))
        return error("expected ':' after the key '" + key + "'");
      skipSpace();
      if (key == "descr") {
        if (seenDescr)
          return error("the key 'descr' appears twice");
        seenDescr = true;
        MAMBA_TRY(readString(f.descr, "'descr'"));
      } else if (key == "fortran_order") {
        if (seenOrder)
          return error("the key 'fortran_order' appears twice");
        seenOrder = true;
        if (eatWord("True"))
          fortran = true;
        else if (!eatWord("False"))
          return error("'fortran_order' must be True or False");
      } else if (key == "shape") {
        if (seenShape)
          return error("the key 'shape' appears twice");
        seenShape = true;
        MAMBA_TRY(readShape(f));
      } else {
        return error("unknown key '" + key +
                     "' (expected 'descr', 'fortran_order' and 'shape')");
      }
      skipSpace();
      if (eat('}'))
        break;
      if (!eat(','))
        return error("expected ',' or '}' after the value of '" + key + "'");
    }
    skipSpace();
    if (pos_ != s_.size())
      return error("unexpected text after the closing '}'");
    if (!seenDescr)
      return error("no 'descr'");
    if (!seenShape)
      return error("no 'shape'");
    if (fortran)
      return Error(path_ + ": Fortran-ordered arrays are not supported; save "
                           "with np.ascontiguousarray");
    return Status::success();
  }

private:
  Error error(const std::string &what) const {
    return Error(path_ + ": bad .npy header at byte " + std::to_string(pos_) +
                 ": " + what);
  }
  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' ||
                                s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool eatWord(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w)
      return false;
    pos_ += w.size();
    return true;
  }
  /// A quoted string without escapes ('...' or "...").
  Status readString(std::string &out, const std::string &what) {
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"'))
      return error(what + " must be a quoted string");
    char quote = s_[pos_++];
    size_t end = s_.find(quote, pos_);
    if (end == std::string_view::npos)
      return error(what + " has no closing quote");
    out.assign(s_.substr(pos_, end - pos_));
    if (out.find('\\') != std::string::npos)
      return error(what + " contains an escape, which .npy headers never do");
    pos_ = end + 1;
    return Status::success();
  }
  /// A tuple of non-negative ints: (), (5,), (2, 3).
  Status readShape(NpyFile &f) {
    if (!eat('('))
      return error("'shape' must be a tuple of integers such as (2, 3)");
    f.shape.clear();
    for (;;) {
      skipSpace();
      if (eat(')'))
        break;
      if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9')
        return error("'shape' must hold non-negative integers");
      int64_t d = 0;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
        if (__builtin_mul_overflow(d, int64_t(10), &d) ||
            __builtin_add_overflow(d, int64_t(s_[pos_] - '0'), &d))
          return error("a dimension of 'shape' does not fit in 64 bits");
        ++pos_;
      }
      f.shape.push_back(d);
      if (__builtin_mul_overflow(f.count, d, &f.count))
        return error("the element count of 'shape' does not fit in 64 bits");
      skipSpace();
      if (eat(')'))
        break;
      if (!eat(','))
        return error("expected ',' or ')' in 'shape'");
    }
    return Status::success();
  }

  std::string_view s_;
  const std::string &path_;
  size_t pos_ = 0;
};

Result<NpyFile> readNpy(const std::string &path) {
  NpyFile f;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(path + ": cannot open the file");
  f.bytes.assign(std::istreambuf_iterator<char>(in),
                 std::istreambuf_iterator<char>());
  const std::vector<char> &bytes = f.bytes;
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0)
    return Error(path + ": not a .npy file (missing the \\x93NUMPY magic)");
  int major = uint8_t(bytes[6]);
  size_t headerLen, start;
  if (major == 1) {
    headerLen = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return Error(path + ": truncated .npy header");
    headerLen = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8) |
                (uint8_t(bytes[10]) << 16) | (size_t(uint8_t(bytes[11])) << 24);
    start = 12;
  } else {
    return Error(path + ": unsupported .npy format version " +
                 std::to_string(major));
  }
  if (headerLen > bytes.size() - start)
    return Error(path + ": truncated .npy header");
  MAMBA_TRY(
      HeaderParser(std::string_view(bytes.data() + start, headerLen), path)
          .parse(f));
  f.data = start + headerLen;
  return f;
}

Status checkSize(const NpyFile &f, const std::string &path, size_t elt) {
  if (uint64_t(f.count) > (f.bytes.size() - f.data) / elt)
    return Error(path + ": the file holds " +
                 std::to_string((f.bytes.size() - f.data) / elt) +
                 " elements but its shape needs " + std::to_string(f.count));
  return Status::success();
}

} // namespace

Result<NpyInts> mamba::readNpyInts(const std::string &path) {
  Result<NpyFile> f = readNpy(path);
  if (!f.ok())
    return Error(f.error());
  size_t elt;
  if (f->descr == "<i4" || f->descr == "|i4")
    elt = 4;
  else if (f->descr == "<i8" || f->descr == "|i8")
    elt = 8;
  else
    return Error(path +
                 ": token ids must be int32 or int64 ('<i4' or '<i8'), "
                 "got dtype '" +
                 f->descr + "'");
  MAMBA_TRY(checkSize(*f, path, elt));
  NpyInts out;
  out.shape = f->shape;
  out.values.resize(f->count);
  const char *p = f->bytes.data() + f->data;
  for (int64_t i = 0; i < f->count; ++i) {
    if (elt == 4) {
      int32_t v;
      std::memcpy(&v, p + i * 4, 4);
      out.values[i] = v;
    } else {
      std::memcpy(&out.values[i], p + i * 8, 8);
    }
  }
  return out;
}

Result<NpyFloats> mamba::readNpyFloats(const std::string &path) {
  Result<NpyFile> f = readNpy(path);
  if (!f.ok())
    return Error(f.error());
  if (f->descr != "<f4")
    return Error(path + ": expected float32 ('<f4'), got dtype '" + f->descr +
                 "'");
  MAMBA_TRY(checkSize(*f, path, 4));
  NpyFloats out;
  out.shape = f->shape;
  out.values.resize(f->count);
  // memcpy from or to the null data() of an empty vector is undefined.
  if (f->count > 0)
    std::memcpy(out.values.data(), f->bytes.data() + f->data, f->count * 4);
  return out;
}

Status mamba::writeNpyFloats(const std::string &path,
                             const std::vector<int64_t> &shape,
                             const float *data) {
  std::string dims;
  int64_t count = 1;
  for (int64_t d : shape) {
    dims += std::to_string(d) + ", ";
    count *= d;
  }
  if (shape.size() > 1)
    dims.erase(dims.size() - 2); // "(2, 3)" but "(5,)" for one dim
  else if (!shape.empty())
    dims.erase(dims.size() - 1);
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return Error(path + ": cannot write the file");
  out.write("\x93NUMPY\x01\x00", 8);
  uint16_t len = uint16_t(header.size());
  out.put(char(len & 0xff));
  out.put(char(len >> 8));
  out << header;
  out.write(reinterpret_cast<const char *>(data), count * 4);
  if (!out)
    return Error(path + ": write failed (disk full?)");
  return Status::success();
}
