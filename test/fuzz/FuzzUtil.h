//===- FuzzUtil.h - helpers shared by the libFuzzer harnesses ---*- C++ -*-===//
//
// The loaders take paths (checkpoints are mapped, not read), so a harness
// writes its input to a scratch file of its own process first. The file lives
// in /dev/shm where there is one, and is rewritten for every input.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TEST_FUZZ_FUZZUTIL_H
#define MAMBA_TEST_FUZZ_FUZZUTIL_H

#include "runtime/model/Tensor.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace mamba::fuzz {

/// A directory of this process for scratch files, created once and removed
/// when the process exits normally.
inline const std::string &scratchDir() {
  static const std::string dir = [] {
    struct stat st;
    std::string base = ::stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode)
                           ? "/dev/shm"
                           : "/tmp";
    std::string d = base + "/mamba-fuzz-" + std::to_string(::getpid());
    ::mkdir(d.c_str(), 0700);
    // A heap copy: the static string is destroyed before this handler runs.
    static const std::string *const toRemove = new std::string(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*toRemove, ec);
    });
    return d;
  }();
  return dir;
}

/// Writes `bytes` to `scratchDir()/name` and returns the path. Aborts when
/// the file cannot be written: the harness would otherwise test nothing.
inline std::string writeScratch(const std::string &name,
                                std::string_view bytes) {
  std::string path = scratchDir() + "/" + name;
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() ||
      std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
  return path;
}

/// Reads every element a view reaches, so that AddressSanitizer sees any
/// view that points outside its mapping (the readers promise it cannot).
inline uint8_t touchView(const TensorView &v) {
  if (v.shape.size() != v.strides.size())
    std::abort();
  size_t elem = dtypeSize(v.dtype);
  // The first and last byte of the first and last element is enough: the
  // readers check exactly this extent.
  int64_t last = 0;
  for (size_t d = 0; d < v.shape.size(); ++d) {
    if (v.shape[d] == 0)
      return 0;
    last += (v.shape[d] - 1) * v.strides[d];
  }
  volatile const uint8_t *p = v.data;
  return uint8_t(p[0] ^ p[size_t(last) * elem + elem - 1]);
}

/// Whether `r` (a Result or Status) failed. Aborts when its message does not
/// name `file`: every loader's errors must say which file is at fault.
template <typename R> bool failedNaming(const R &r, std::string_view file) {
  if (r.ok())
    return false;
  if (r.error().find(file) == std::string::npos) {
    std::fprintf(stderr, "error without '%.*s': %s\n", int(file.size()),
                 file.data(), r.error().c_str());
    std::abort();
  }
  return true;
}

/// Splits `data` at every occurrence of `sep`.
inline std::vector<std::string_view> splitInput(std::string_view data,
                                                std::string_view sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t at = data.find(sep, start);
    if (at == std::string_view::npos) {
      parts.push_back(data.substr(start));
      return parts;
    }
    parts.push_back(data.substr(start, at - start));
    start = at + sep.size();
  }
}

} // namespace mamba::fuzz

#endif // MAMBA_TEST_FUZZ_FUZZUTIL_H
