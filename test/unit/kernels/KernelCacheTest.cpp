//===- KernelCacheTest.cpp - the disk cache of compiled kernels ---------===//
//
// Entries that are truncated, corrupted or stored under another key are
// never trusted (they are dropped and rebuilt), an unwritable directory only
// costs a recompile, and processes that compile the same kernels into one
// cache at the same time all succeed. No GPU needed: NVRTC compiles for
// sm_90 here.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/KernelCache.h"
#include "frontend/OpSpecs.h"
#include "runtime/Jit.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace mamba;
using mamba::cuda::KernelCache;
namespace fs = std::filesystem;

namespace {

/// A fresh directory under the system's temp dir, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("mamba-cache-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::vector<fs::path> entries(const fs::path &dir) {
  std::vector<fs::path> out;
  if (fs::exists(dir))
    for (const auto &e : fs::directory_iterator(dir))
      out.push_back(e.path());
  return out;
}

KernelCache::Entry sampleEntry() {
  return {std::string("\x7f"
                      "ELF cubin bytes \0 with a NUL",
                      29),
          40, 0, 0};
}

/// Two small kernels (a conv and a decode step) for the compile tests.
std::string smallModule() {
  CausalConv1dSpec conv;
  conv.channels = 64;
  SelectiveStateUpdateSpec ssu;
  ssu.headForm = true;
  ssu.heads = 2;
  ssu.headdim = 32;
  ssu.dstate = 16;
  return toMlir(conv, "conv") + toMlir(ssu, "ssu");
}

Result<std::vector<CompiledKernel>> compileInto(const fs::path &dir,
                                                const std::string &module) {
  JitOptions options;
  options.arch = "sm_90";
  options.cacheDir = dir.string();
  options.threads = 2;
  Result<std::unique_ptr<Jit>> jit = Jit::createCompileOnly(options);
  if (!jit.ok())
    return Error(jit.error());
  return (*jit)->compileModule(module);
}

} // namespace

TEST(KernelCache, RoundTripThroughDisk) {
  TempDir tmp;
  KernelCache::Entry e = sampleEntry();
  KernelCache(tmp.path.string()).store("key", e);
  // A new cache object has nothing in memory: the entry comes from disk.
  std::optional<KernelCache::Entry> got =
      KernelCache(tmp.path.string()).lookup("key");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->cubin, e.cubin);
  EXPECT_EQ(got->registers, 40);
  EXPECT_FALSE(KernelCache(tmp.path.string()).lookup("other key"));
  // Only the entry itself is left: no temporary file.
  EXPECT_EQ(entries(tmp.path).size(), 1u);
}

TEST(KernelCache, TruncatedEntryIsDroppedNotTrusted) {
  TempDir tmp;
  KernelCache(tmp.path.string()).store("key", sampleEntry());
  std::string path = KernelCache(tmp.path.string()).pathFor("key");
  for (uintmax_t size :
       {fs::file_size(path) - 1, uintmax_t(10), uintmax_t(0)}) {
    KernelCache(tmp.path.string()).store("key", sampleEntry());
    fs::resize_file(path, size);
    EXPECT_FALSE(KernelCache(tmp.path.string()).lookup("key"))
        << "truncated to " << size;
    EXPECT_FALSE(fs::exists(path)) << "a truncated entry stays on disk";
  }
}

TEST(KernelCache, CorruptEntryIsDroppedNotTrusted) {
  TempDir tmp;
  KernelCache(tmp.path.string()).store("key", sampleEntry());
  std::string path = KernelCache(tmp.path.string()).pathFor("key");
  uintmax_t size = fs::file_size(path);
  // Flip one byte anywhere (header, stored key, cubin): never accepted.
  for (uintmax_t at = 0; at < size; at += 7) {
    KernelCache(tmp.path.string()).store("key", sampleEntry());
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(std::streamoff(at));
    char c = 0;
    f.read(&c, 1);
    c = char(c ^ 0x5a);
    f.seekp(std::streamoff(at));
    f.write(&c, 1);
    f.close();
    EXPECT_FALSE(KernelCache(tmp.path.string()).lookup("key"))
        << "byte " << at << " flipped";
  }
}

TEST(KernelCache, EntryOfAnotherKeyIsNotTrusted) {
  TempDir tmp;
  KernelCache cache(tmp.path.string());
  cache.store("first", sampleEntry());
  // As if two keys hashed to one file: the stored key must match.
  fs::rename(cache.pathFor("first"), cache.pathFor("second"));
  EXPECT_FALSE(KernelCache(tmp.path.string()).lookup("second"));
}

TEST(KernelCache, UnwritableDirectoryOnlyCostsARecompile) {
  TempDir tmp;
  fs::create_directories(tmp.path.parent_path());
  // A regular file where the directory should be: nothing can be created.
  std::ofstream(tmp.path) << "not a directory";
  KernelCache cache((tmp.path / "sub").string());
  cache.store("key", sampleEntry());
  EXPECT_TRUE(cache.lookup("key")); // still in memory
  EXPECT_FALSE(KernelCache((tmp.path / "sub").string()).lookup("key"));
  fs::remove(tmp.path);
}

TEST(KernelCache, CorruptEntriesAreRebuiltByTheJit) {
  TempDir tmp;
  std::string module = smallModule();
  auto first = compileInto(tmp.path, module);
  ASSERT_TRUE(first.ok()) << first.error();
  std::vector<fs::path> files = entries(tmp.path);
  ASSERT_EQ(files.size(), first->size());
  // Damage every entry: one truncated, the others overwritten with junk.
  fs::resize_file(files[0], fs::file_size(files[0]) / 2);
  for (size_t i = 1; i < files.size(); ++i)
    std::ofstream(files[i], std::ios::binary | std::ios::trunc) << "junk";
  auto second = compileInto(tmp.path, module);
  ASSERT_TRUE(second.ok()) << second.error();
  ASSERT_EQ(second->size(), first->size());
  for (size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*second)[i].info().symbol, (*first)[i].info().symbol);
    EXPECT_EQ((*second)[i].info().registers, (*first)[i].info().registers);
  }
  // The rebuilt entries are whole again: a fresh cache reads them all.
  for (const fs::path &f : entries(tmp.path))
    EXPECT_GT(fs::file_size(f), 64u) << f;
  EXPECT_EQ(entries(tmp.path).size(), first->size());
}

TEST(KernelCache, ProcessesCompilingTheSameKernelsAtOnceAllSucceed) {
  TempDir tmp;
  std::string module = smallModule();
  const int kProcesses = 4;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto k = compileInto(tmp.path, module);
      _exit(k.ok() && k->size() == 2 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "a compiling process failed";
  }
  // One whole entry a kernel, no temporary files left behind, and every
  // entry readable.
  std::vector<fs::path> files = entries(tmp.path);
  EXPECT_EQ(files.size(), 2u);
  for (const fs::path &f : files)
    EXPECT_EQ(f.extension(), ".cubin") << f;
  auto again = compileInto(tmp.path, module);
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(entries(tmp.path).size(), 2u);
}
