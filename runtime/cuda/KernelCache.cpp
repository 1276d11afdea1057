//===- KernelCache.cpp - compiled kernels in memory and on disk -----------===//

#include "runtime/cuda/KernelCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace mamba::cuda;

namespace {

// Version 2: the checksum covers the header's fields too (in version 1 a
// flipped register or spill count was trusted).
constexpr char kMagic[8] = {'M', 'A', 'M', 'B', 'A', 'K', 'C', '2'};

struct Header {
  char magic[8];
  uint32_t registers, spillStores, spillLoads, reserved;
  uint64_t keySize, cubinSize, checksum;
};

/// Over every byte of the entry: the header (its checksum field as 0), the
/// key and the CUBIN.
uint64_t checksumOf(Header h, const std::string &key,
                    const std::string &cubin) {
  h.checksum = 0;
  std::string bytes(reinterpret_cast<const char *>(&h), sizeof(h));
  bytes += key;
  bytes += cubin;
  return llvm::xxh3_64bits(bytes);
}

} // namespace

std::string KernelCache::defaultDir() {
  if (const char *env = std::getenv("MAMBA_CACHE_DIR"))
    return std::string(env) == "off" ? "" : env;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"))
    return std::string(xdg) + "/mamba-jit";
  if (const char *home = std::getenv("HOME"))
    return std::string(home) + "/.cache/mamba-jit";
  return "";
}

std::string KernelCache::pathFor(const std::string &key) const {
  return dir_ + "/" + llvm::utohexstr(llvm::xxh3_64bits(key), true) +
         llvm::utohexstr(llvm::xxh3_64bits(key + "#"), true) + ".cubin";
}

std::optional<KernelCache::Entry> KernelCache::lookup(const std::string &key) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = memory_.find(key);
    if (it != memory_.end())
      return it->second;
  }
  if (dir_.empty())
    return std::nullopt;
  std::string path = pathFor(key);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  Header h;
  std::string storedKey, cubin;
  std::error_code ec;
  uintmax_t fileSize = std::filesystem::file_size(path, ec);
  // The sizes in the header must add up to the file's: a corrupt size never
  // makes us allocate more than the file holds.
  bool ok = !ec && bool(in.read(reinterpret_cast<char *>(&h), sizeof(h))) &&
            std::memcmp(h.magic, kMagic, 8) == 0 && h.keySize == key.size() &&
            h.cubinSize > 0 && h.cubinSize < fileSize &&
            fileSize == sizeof(h) + h.keySize + h.cubinSize;
  if (ok) {
    storedKey.resize(h.keySize);
    cubin.resize(h.cubinSize);
    ok = bool(in.read(storedKey.data(), h.keySize)) &&
         bool(in.read(cubin.data(), h.cubinSize)) && storedKey == key &&
         checksumOf(h, storedKey, cubin) == h.checksum;
  }
  if (!ok) {
    // Corrupt, truncated or a hash collision: drop it; the caller rebuilds.
    std::remove(path.c_str());
    return std::nullopt;
  }
  Entry e{std::move(cubin), int(h.registers), int(h.spillStores),
          int(h.spillLoads)};
  std::lock_guard<std::mutex> lock(mutex_);
  memory_[key] = e;
  return e;
}

void KernelCache::store(const std::string &key, const Entry &entry) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    memory_[key] = entry;
  }
  if (dir_.empty())
    return;
  std::error_code ec; // a failure shows in the write that follows
  std::filesystem::create_directories(dir_, ec);
  std::string path = pathFor(key);
  std::string tmp = path + ".tmp." + std::to_string(getpid()) + "." +
                    std::to_string(reinterpret_cast<uintptr_t>(&entry));
  Header h;
  std::memcpy(h.magic, kMagic, 8);
  h.registers = uint32_t(entry.registers);
  h.spillStores = uint32_t(entry.spillStores);
  h.spillLoads = uint32_t(entry.spillLoads);
  h.reserved = 0;
  h.keySize = key.size();
  h.cubinSize = entry.cubin.size();
  h.checksum = 0;
  h.checksum = checksumOf(h, key, entry.cubin);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      return; // an unwritable cache only costs a recompile next time
    out.write(reinterpret_cast<const char *>(&h), sizeof(h));
    out.write(key.data(), key.size());
    out.write(entry.cubin.data(), entry.cubin.size());
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      return;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    std::remove(tmp.c_str());
}
