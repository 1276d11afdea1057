//===- MappedFile.h - read-only memory-mapped files -------------*- C++ -*-===//
//
// Checkpoints are mapped, not read: a 10 GB model costs no copy until a tensor
// is converted, and the pages of tensors that are never used are never read.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_MODEL_MAPPEDFILE_H
#define MAMBA_RUNTIME_MODEL_MAPPEDFILE_H

#include "runtime/Result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace mamba {

/// A whole file mapped read-only. Shared by every view into it, so the mapping
/// lives as long as the last tensor that points into it.
class MappedFile {
public:
  static Result<std::shared_ptr<const MappedFile>>
  open(const std::string &path);
  ~MappedFile();
  MappedFile(const MappedFile &) = delete;
  MappedFile &operator=(const MappedFile &) = delete;

  const uint8_t *data() const { return data_; }
  size_t size() const { return size_; }
  const std::string &path() const { return path_; }

private:
  MappedFile(std::string path, const uint8_t *data, size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}

  std::string path_;
  const uint8_t *data_;
  size_t size_;
};

/// Whether `path` names an existing regular file (following links).
bool isRegularFile(const std::string &path);

/// Reads a whole (small) file into a string.
Result<std::string> readTextFile(const std::string &path);

} // namespace mamba

#endif // MAMBA_RUNTIME_MODEL_MAPPEDFILE_H
