//===- KernelCache.h - compiled kernels in memory and on disk ---*- C++ -*-===//
//
// Keyed by everything that determines a CUBIN: the CUDA source (which names
// its kernel and embeds every specialisation constant), the embedded device
// headers, the NVRTC options, the arch and the NVRTC version. Disk entries
// are written to a temporary file and renamed into place, so a reader never
// sees half an entry; an entry that is unreadable, truncated or fails its
// checksum or key comparison is deleted and rebuilt, never trusted.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_CUDA_KERNELCACHE_H
#define MAMBA_RUNTIME_CUDA_KERNELCACHE_H

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace mamba {
namespace cuda {

class KernelCache {
public:
  struct Entry {
    std::string cubin;
    int registers = -1;
    int spillStores = 0;
    int spillLoads = 0;
  };

  /// `dir` empty: memory only. The directory is created on first store.
  explicit KernelCache(std::string dir) : dir_(std::move(dir)) {}

  std::optional<Entry> lookup(const std::string &key);
  void store(const std::string &key, const Entry &entry);

  const std::string &dir() const { return dir_; }
  /// The file an entry for `key` lives in.
  std::string pathFor(const std::string &key) const;

  /// The default directory: $MAMBA_CACHE_DIR, else $XDG_CACHE_HOME/mamba-jit,
  /// else ~/.cache/mamba-jit; empty when it is "off" or no home is known.
  static std::string defaultDir();

private:
  std::string dir_;
  std::mutex mutex_;
  std::map<std::string, Entry> memory_;
};

} // namespace cuda
} // namespace mamba

#endif // MAMBA_RUNTIME_CUDA_KERNELCACHE_H
