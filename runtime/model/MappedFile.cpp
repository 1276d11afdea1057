//===- MappedFile.cpp - read-only memory-mapped files ---------------------===//

#include "runtime/model/MappedFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mamba {

namespace {
Error sysError(const std::string &path, const char *what) {
  return Error(path + ": " + what + ": " + std::strerror(errno));
}
} // namespace

Result<std::shared_ptr<const MappedFile>>
MappedFile::open(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return sysError(path, "cannot open");
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Error e = sysError(path, "cannot stat");
    ::close(fd);
    return e;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error(path + ": not a regular file");
  }
  size_t size = size_t(st.st_size);
  const uint8_t *data = nullptr;
  // mmap refuses a length of 0; an empty file maps to nothing.
  if (size > 0) {
    void *p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      Error e = sysError(path, "cannot map");
      ::close(fd);
      return e;
    }
    data = static_cast<const uint8_t *>(p);
  }
  // The mapping stays valid after the descriptor is closed.
  ::close(fd);
  return std::shared_ptr<const MappedFile>(new MappedFile(path, data, size));
}

MappedFile::~MappedFile() {
  if (data_)
    ::munmap(const_cast<uint8_t *>(data_), size_);
}

bool isRegularFile(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Result<std::string> readTextFile(const std::string &path) {
  auto file = MappedFile::open(path);
  if (!file)
    return Error(file.error());
  const MappedFile &f = **file;
  return std::string(reinterpret_cast<const char *>(f.data()), f.size());
}

} // namespace mamba
