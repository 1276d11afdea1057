//===- ZipArchive.cpp - uncompressed ZIP archives -------------------------===//
//
// Layout (APPNOTE.TXT 6.3): local headers and data, then the central
// directory, then [ZIP64 end record, ZIP64 locator,] end record. The central
// directory is authoritative for sizes (a local header may defer them to a
// data descriptor); the local header only tells where the data starts.
//
//===----------------------------------------------------------------------===//

#include "runtime/model/ZipArchive.h"

#include <array>

namespace mamba {

namespace {

constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr uint32_t kCentralHeaderSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr uint16_t kZip64ExtraId = 0x0001;

/// Little-endian reads, bounds-checked against the mapped file.
class Reader {
public:
  Reader(const uint8_t *data, uint64_t size) : data_(data), size_(size) {}
  bool has(uint64_t off, uint64_t n) const {
    return off <= size_ && n <= size_ - off;
  }
  uint16_t u16(uint64_t off) const {
    return uint16_t(data_[off] | (data_[off + 1] << 8));
  }
  uint32_t u32(uint64_t off) const {
    return uint32_t(u16(off)) | (uint32_t(u16(off + 2)) << 16);
  }
  uint64_t u64(uint64_t off) const {
    return uint64_t(u32(off)) | (uint64_t(u32(off + 4)) << 32);
  }

private:
  const uint8_t *data_;
  uint64_t size_;
};

} // namespace

uint32_t crc32(const uint8_t *data, size_t n) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; ++i)
    c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

const ZipEntry *ZipArchive::find(const std::string &name) const {
  for (const ZipEntry &e : entries_)
    if (e.name == name)
      return &e;
  return nullptr;
}

Result<ZipArchive> ZipArchive::open(std::shared_ptr<const MappedFile> file) {
  const std::string &path = file->path();
  uint64_t size = file->size();
  Reader r(file->data(), size);
  auto corrupt = [&](const std::string &what) {
    return Error(path + ": not a valid ZIP archive (" + what +
                 "); the file is truncated or corrupt");
  };

  // The end record is the last 22 bytes, before a comment of up to 64 KiB.
  if (size < 22)
    return corrupt("too short for an end-of-central-directory record");
  uint64_t end = UINT64_MAX;
  uint64_t lowest = size > 22 + 0xffff ? size - 22 - 0xffff : 0;
  for (uint64_t p = size - 22 + 1; p-- > lowest;) {
    if (r.u32(p) == kEndSig && p + 22 + r.u16(p + 20) == size) {
      end = p;
      break;
    }
  }
  if (end == UINT64_MAX)
    return corrupt("no end-of-central-directory record");

  uint64_t count = r.u16(end + 10);
  uint64_t cdSize = r.u32(end + 12);
  uint64_t cdOffset = r.u32(end + 16);
  // torch writes ZIP64 records; they hold the true values.
  if (end >= 20 && r.u32(end - 20) == kZip64LocatorSig) {
    uint64_t z = r.u64(end - 20 + 8);
    if (!r.has(z, 56) || r.u32(z) != kZip64EndSig)
      return corrupt("bad ZIP64 end-of-central-directory record");
    count = r.u64(z + 32);
    cdSize = r.u64(z + 40);
    cdOffset = r.u64(z + 48);
  } else if (count == 0xffff || cdSize == 0xffffffffu ||
             cdOffset == 0xffffffffu) {
    return corrupt("ZIP64 values without a ZIP64 locator");
  }
  if (!r.has(cdOffset, cdSize))
    return corrupt("the central directory lies outside the file");

  ZipArchive zip;
  zip.file_ = file;
  uint64_t p = cdOffset;
  const uint64_t cdEnd = cdOffset + cdSize;
  for (uint64_t i = 0; i < count; ++i) {
    if (p + 46 > cdEnd || r.u32(p) != kCentralHeaderSig)
      return corrupt("bad central directory entry " + std::to_string(i));
    uint16_t flags = r.u16(p + 8);
    uint16_t method = r.u16(p + 10);
    uint32_t crc = r.u32(p + 16);
    uint64_t csize = r.u32(p + 20);
    uint64_t usize = r.u32(p + 24);
    uint64_t nameLen = r.u16(p + 28);
    uint64_t extraLen = r.u16(p + 30);
    uint64_t commentLen = r.u16(p + 32);
    uint64_t local = r.u32(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > cdEnd)
      return corrupt("central directory entry " + std::to_string(i) +
                     " runs past the directory");
    std::string name(reinterpret_cast<const char *>(file->data() + p + 46),
                     nameLen);

    // ZIP64 extended information: the 8-byte values, in this order, of the
    // fields whose 32-bit slot holds 0xffffffff.
    uint64_t x = p + 46 + nameLen;
    const uint64_t xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      uint16_t id = r.u16(x);
      uint64_t len = r.u16(x + 2);
      if (x + 4 + len > xEnd)
        return corrupt("bad extra field in entry '" + name + "'");
      if (id == kZip64ExtraId) {
        uint64_t q = x + 4;
        for (uint64_t *field : {&usize, &csize, &local}) {
          if (*field != 0xffffffffu)
            continue;
          if (q + 8 > x + 4 + len)
            return corrupt("short ZIP64 extra field in entry '" + name + "'");
          *field = r.u64(q);
          q += 8;
        }
      }
      x += 4 + len;
    }

    if (flags & 1)
      return Error(path + ": entry '" + name +
                   "' is encrypted, which is not supported");
    if (method != 0)
      return Error(path + ": entry '" + name + "' is compressed (method " +
                   std::to_string(method) + (method == 8 ? ", deflate" : "") +
                   "); torch.save writes stored (uncompressed) entries, so "
                   "the archive was re-packed: save it again with torch.save");
    if (csize != usize)
      return corrupt("stored entry '" + name + "' has different compressed (" +
                     std::to_string(csize) + ") and uncompressed (" +
                     std::to_string(usize) + ") sizes");
    if (!r.has(local, 30) || r.u32(local) != kLocalHeaderSig)
      return corrupt("bad local header for entry '" + name + "'");
    uint64_t dataOffset = local + 30 + r.u16(local + 26) + r.u16(local + 28);
    if (!r.has(dataOffset, usize))
      return Error(path + ": entry '" + name + "' (" + std::to_string(usize) +
                   " bytes at offset " + std::to_string(dataOffset) +
                   ") goes beyond the end of the file (" +
                   std::to_string(size) + " bytes): the file is truncated");
    zip.entries_.push_back({std::move(name), dataOffset, usize, crc});
    p += 46 + nameLen + extraLen + commentLen;
  }
  return zip;
}

} // namespace mamba
