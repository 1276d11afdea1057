//===- ZipArchive.h - uncompressed ZIP archives -----------------*- C++ -*-===//
//
// Just enough ZIP for torch.save archives: the central directory (with ZIP64
// records and extra fields, which torch writes) and stored entries read in
// place from a mapped file. Compressed or encrypted entries are refused.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_MODEL_ZIPARCHIVE_H
#define MAMBA_RUNTIME_MODEL_ZIPARCHIVE_H

#include "runtime/Result.h"
#include "runtime/model/MappedFile.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mamba {

struct ZipEntry {
  std::string name;
  /// Offset of the entry's bytes in the file (past its local header).
  uint64_t dataOffset = 0;
  uint64_t size = 0;
  uint32_t crc32 = 0;
};

class ZipArchive {
public:
  /// Reads the central directory of `file` and checks that every entry is
  /// stored uncompressed and lies within the file.
  static Result<ZipArchive> open(std::shared_ptr<const MappedFile> file);

  const std::vector<ZipEntry> &entries() const { return entries_; }
  /// The entry called `name`, or null.
  const ZipEntry *find(const std::string &name) const;
  const uint8_t *data(const ZipEntry &e) const {
    return file_->data() + e.dataOffset;
  }

private:
  std::shared_ptr<const MappedFile> file_;
  std::vector<ZipEntry> entries_;
};

/// The CRC-32 (ISO-HDLC, as ZIP uses) of `n` bytes.
uint32_t crc32(const uint8_t *data, size_t n);

} // namespace mamba

#endif // MAMBA_RUNTIME_MODEL_ZIPARCHIVE_H
