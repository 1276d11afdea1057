//===- TestWriters.h - checkpoint writers for the loader tests --*- C++ -*-===//
//
// Small writers for the formats the loaders read: safetensors files, ZIP
// archives (stored entries, optionally with ZIP64 records) and pickles built
// opcode by opcode, so that the tests can make both faithful files and every
// kind of broken one.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TEST_UNIT_MODEL_TESTWRITERS_H
#define MAMBA_TEST_UNIT_MODEL_TESTWRITERS_H

#include "runtime/DType.h"
#include "runtime/model/ZipArchive.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace mamba::test {

/// A fresh directory under $TMPDIR, removed with its contents at the end.
class TempDir {
public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "mamba-model-XXXXXX")
            .string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }
  /// Writes `bytes` to `name` and returns its path.
  std::string write(const std::string &name, const std::string &bytes) const {
    std::string p = file(name);
    std::ofstream(p, std::ios::binary).write(bytes.data(), bytes.size());
    return p;
  }

private:
  std::string path_;
};

/// Values that are exact in f32, f16 and bf16 alike, and never 0 or 1.
inline float testValue(int64_t i) { return float(i % 17) * 0.25f - 2.125f; }

/// `n` elements of testValue(i + start), encoded in `t`.
inline std::string encodeValues(int64_t n, DType t, int64_t start = 0) {
  std::string out(size_t(n) * dtypeSize(t), '\0');
  for (int64_t i = 0; i < n; ++i)
    storeFromFloat(out.data(), t, size_t(i), testValue(i + start));
  return out;
}

inline void putLE(std::string &s, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    s += char((v >> (8 * i)) & 0xff);
}

//===----------------------------------------------------------------------===//
// safetensors
//===----------------------------------------------------------------------===//

struct StTensor {
  std::string name;
  std::string dtype; // "F32", "F16", "BF16", ...
  std::vector<int64_t> shape;
  std::string bytes;
};

inline std::string jsonList(const std::vector<int64_t> &v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

/// The header JSON a faithful writer would produce for `tensors`, laid out
/// back to back in order.
inline std::string safetensorsHeader(const std::vector<StTensor> &tensors) {
  std::string h = "{\"__metadata__\":{\"format\":\"pt\"}";
  uint64_t off = 0;
  for (const StTensor &t : tensors) {
    h += ",\"" + t.name + "\":{\"dtype\":\"" + t.dtype +
         "\",\"shape\":" + jsonList(t.shape) + ",\"data_offsets\":[" +
         std::to_string(off) + "," + std::to_string(off + t.bytes.size()) +
         "]}";
    off += t.bytes.size();
  }
  return h + "}";
}

/// A safetensors file with the given header text and data section.
inline std::string safetensorsFile(std::string header,
                                   const std::string &data) {
  while ((8 + header.size()) % 8 != 0)
    header += ' ';
  std::string out;
  putLE(out, header.size(), 8);
  return out + header + data;
}

inline std::string safetensorsFile(const std::vector<StTensor> &tensors) {
  std::string data;
  for (const StTensor &t : tensors)
    data += t.bytes;
  return safetensorsFile(safetensorsHeader(tensors), data);
}

//===----------------------------------------------------------------------===//
// ZIP
//===----------------------------------------------------------------------===//

class ZipWriter {
public:
  /// Adds a stored entry; `method` other than 0 only changes the header.
  void add(const std::string &name, const std::string &data,
           uint16_t method = 0) {
    entries_.push_back({name, uint64_t(out_.size()), data, method});
    const auto *d = reinterpret_cast<const uint8_t *>(data.data());
    uint32_t crc = crc32(d, data.size());
    putLE(out_, 0x04034b50, 4);
    putLE(out_, 20, 2);
    putLE(out_, 0, 2);
    putLE(out_, method, 2);
    putLE(out_, 0, 4); // time, date
    putLE(out_, crc, 4);
    putLE(out_, data.size(), 4);
    putLE(out_, data.size(), 4);
    putLE(out_, name.size(), 2);
    // An alignment-padding extra field, like torch's, so that the data
    // offset differs from header + name.
    putLE(out_, 8, 2);
    out_ += name;
    putLE(out_, 0x4246, 2);
    putLE(out_, 4, 2);
    out_ += "FBFB";
    out_ += data;
  }

  /// The whole archive. With `zip64`, sizes and offsets move to ZIP64 extra
  /// fields and the end records are the ZIP64 ones, as torch writes them.
  std::string finish(bool zip64 = false) {
    std::string out = out_;
    uint64_t cdOffset = out.size();
    for (const Entry &e : entries_) {
      const auto *d = reinterpret_cast<const uint8_t *>(e.data.data());
      putLE(out, 0x02014b50, 4);
      putLE(out, 45, 2);
      putLE(out, 45, 2);
      putLE(out, 0, 2);
      putLE(out, e.method, 2);
      putLE(out, 0, 4);
      putLE(out, crc32(d, e.data.size()), 4);
      uint64_t big = 0xffffffffu;
      putLE(out, zip64 ? big : e.data.size(), 4);
      putLE(out, zip64 ? big : e.data.size(), 4);
      putLE(out, e.name.size(), 2);
      putLE(out, zip64 ? 28 : 0, 2);
      putLE(out, 0, 2); // comment
      putLE(out, 0, 2); // disk
      putLE(out, 0, 2);
      putLE(out, 0, 4);
      putLE(out, zip64 ? big : e.offset, 4);
      out += e.name;
      if (zip64) {
        putLE(out, 0x0001, 2);
        putLE(out, 24, 2);
        putLE(out, e.data.size(), 8);
        putLE(out, e.data.size(), 8);
        putLE(out, e.offset, 8);
      }
    }
    uint64_t cdSize = out.size() - cdOffset;
    if (zip64) {
      uint64_t z = out.size();
      putLE(out, 0x06064b50, 4);
      putLE(out, 44, 8);
      putLE(out, 45, 2);
      putLE(out, 45, 2);
      putLE(out, 0, 4);
      putLE(out, 0, 4);
      putLE(out, entries_.size(), 8);
      putLE(out, entries_.size(), 8);
      putLE(out, cdSize, 8);
      putLE(out, cdOffset, 8);
      putLE(out, 0x07064b50, 4);
      putLE(out, 0, 4);
      putLE(out, z, 8);
      putLE(out, 1, 4);
    }
    putLE(out, 0x06054b50, 4);
    putLE(out, 0, 2);
    putLE(out, 0, 2);
    putLE(out, zip64 ? 0xffff : entries_.size(), 2);
    putLE(out, zip64 ? 0xffff : entries_.size(), 2);
    putLE(out, zip64 ? 0xffffffffu : cdSize, 4);
    putLE(out, zip64 ? 0xffffffffu : cdOffset, 4);
    putLE(out, 0, 2);
    return out;
  }

private:
  struct Entry {
    std::string name;
    uint64_t offset;
    std::string data;
    uint16_t method;
  };
  std::string out_;
  std::vector<Entry> entries_;
};

//===----------------------------------------------------------------------===//
// Pickles
//===----------------------------------------------------------------------===//

/// Emits pickle opcodes. Protocol 2 uses GLOBAL and BINPUT, as torch.save
/// does by default; protocol 4 uses FRAME, STACK_GLOBAL and MEMOIZE.
class PickleWriter {
public:
  explicit PickleWriter(int protocol = 2) : protocol_(protocol) {
    out_ += '\x80';
    out_ += char(protocol);
    if (protocol >= 4) {
      // A frame length that the reader must skip over; its value does not
      // matter to a reader that does not buffer.
      out_ += '\x95';
      putLE(out_, 0, 8);
    }
  }

  PickleWriter &op(char c) {
    out_ += c;
    return *this;
  }
  PickleWriter &str(const std::string &s) {
    if (protocol_ >= 4 && s.size() < 256) {
      out_ += '\x8c';
      out_ += char(s.size());
    } else {
      out_ += 'X';
      putLE(out_, s.size(), 4);
    }
    out_ += s;
    return memoize();
  }
  PickleWriter &global(const std::string &module, const std::string &name) {
    if (protocol_ >= 4) {
      str(module);
      str(name);
      out_ += '\x93';
    } else {
      out_ += 'c' + module + '\n' + name + '\n';
    }
    return memoize();
  }
  PickleWriter &integer(int64_t v) {
    if (v >= 0 && v < 256) {
      out_ += 'K';
      out_ += char(v);
    } else if (v >= 0 && v < 65536) {
      out_ += 'M';
      putLE(out_, uint64_t(v), 2);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
      out_ += 'J';
      putLE(out_, uint64_t(v), 4);
    } else {
      out_ += '\x8a';
      out_ += char(8);
      putLE(out_, uint64_t(v), 8);
    }
    return *this;
  }
  PickleWriter &ints(const std::vector<int64_t> &v) {
    out_ += '(';
    for (int64_t x : v)
      integer(x);
    out_ += 't';
    return memoize();
  }
  /// Stores the top of the stack in the memo; returns the writer.
  PickleWriter &memoize() {
    if (protocol_ >= 4) {
      out_ += '\x94';
    } else if (nextMemo_ < 256) {
      out_ += 'q';
      out_ += char(nextMemo_);
    } else {
      out_ += 'r';
      putLE(out_, nextMemo_, 4);
    }
    last_ = nextMemo_++;
    return *this;
  }
  uint32_t lastMemo() const { return last_; }
  PickleWriter &get(uint32_t idx) {
    if (idx < 256) {
      out_ += 'h';
      out_ += char(idx);
    } else {
      out_ += 'j';
      putLE(out_, idx, 4);
    }
    return *this;
  }
  std::string finish() { return out_ + '.'; }

private:
  int protocol_;
  std::string out_;
  uint32_t nextMemo_ = 0;
  uint32_t last_ = 0;
};

/// A tensor of a torch state dict, as _rebuild_tensor_v2 sees it.
struct TorchTensor {
  std::string name;
  std::string storageKey;
  std::string storageType; // "FloatStorage", ...
  int64_t storageNumel;
  int64_t offset;
  std::vector<int64_t> size, stride;
};

/// The pickle torch.save writes for a state dict of `tensors`, with the
/// `_metadata` BUILD at the end.
inline std::string stateDictPickle(const std::vector<TorchTensor> &tensors,
                                   int protocol = 2) {
  PickleWriter w(protocol);
  w.global("collections", "OrderedDict");
  uint32_t odict = w.lastMemo();
  w.op(')').op('R').memoize();
  w.op('(');
  bool haveRebuild = false;
  uint32_t rebuild = 0;
  for (const TorchTensor &t : tensors) {
    w.str(t.name);
    if (haveRebuild) {
      w.get(rebuild);
    } else {
      w.global("torch._utils", "_rebuild_tensor_v2");
      rebuild = w.lastMemo();
      haveRebuild = true;
    }
    w.op('(').op('(');
    w.str("storage")
        .global("torch", t.storageType)
        .str(t.storageKey)
        .str("cpu");
    w.integer(t.storageNumel).op('t').memoize().op('Q');
    w.integer(t.offset).ints(t.size).ints(t.stride);
    w.op('\x89');                           // requires_grad = False
    w.get(odict).op(')').op('R').memoize(); // backward_hooks
    w.op('t').memoize().op('R').memoize();
  }
  w.op('u');
  // state_dict()._metadata, attached through BUILD.
  w.op('}').memoize().str("_metadata").get(odict).op(')').op('R').memoize();
  w.str("").op('}').memoize().str("version").integer(1).op('s').op('s');
  w.op('s').op('b');
  return w.finish();
}

/// A torch.save archive: `pickle` plus one entry per (key, bytes) storage.
inline std::string
torchArchive(const std::string &pickle,
             const std::vector<std::pair<std::string, std::string>> &storages,
             bool zip64 = true, const std::string &prefix = "archive") {
  ZipWriter z;
  z.add(prefix + "/data.pkl", pickle);
  z.add(prefix + "/byteorder", "little");
  for (const auto &[key, bytes] : storages)
    z.add(prefix + "/data/" + key, bytes);
  z.add(prefix + "/version", "3\n");
  return z.finish(zip64);
}

} // namespace mamba::test

#endif // MAMBA_TEST_UNIT_MODEL_TESTWRITERS_H
