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
#include <regex>

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
  if (start + headerLen > bytes.size())
    return Error(path + ": truncated .npy header");
  std::string header(bytes.data() + start, headerLen);
  std::smatch m;
  if (!std::regex_search(header, m,
                         std::regex("'descr'\\s*:\\s*'([^']*)'")))
    return Error(path + ": .npy header has no 'descr'");
  f.descr = m[1];
  if (std::regex_search(header, m, std::regex("'fortran_order'\\s*:\\s*True")))
    return Error(path + ": Fortran-ordered arrays are not supported; save with "
                        "np.ascontiguousarray");
  if (!std::regex_search(header, m,
                         std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)")))
    return Error(path + ": .npy header has no 'shape'");
  std::string dims = m[1];
  std::regex num("[0-9]+");
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), num);
       it != std::sregex_iterator(); ++it)
    f.shape.push_back(std::stoll(it->str()));
  for (int64_t d : f.shape)
    f.count *= d;
  f.data = start + headerLen;
  return f;
}

Status checkSize(const NpyFile &f, const std::string &path, size_t elt) {
  if (f.bytes.size() - f.data < size_t(f.count) * elt)
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
    return Error(path + ": token ids must be int32 or int64 ('<i4' or '<i8'), "
                        "got dtype '" + f->descr + "'");
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
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       dims + "), }";
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
