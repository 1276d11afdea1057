//===- Jit.h - compile mamba ops to CUDA kernels and launch them -*- C++ -*-=//
//
// Part of the public C++ API (no MLIR or CUDA types). A Jit takes mamba IR as
// text (a module with one or more mamba ops, planned or not), runs the
// `mamba-to-cuda` pipeline, emits CUDA C++, compiles it with NVRTC for the
// GPU's own architecture (in parallel), caches the CUBINs in memory and on
// disk, and returns kernels that launch on device buffers.
//
//   auto gpu = mamba::GpuContext::open();
//   auto jit = mamba::Jit::create(*gpu);
//   auto kernels = (*jit)->compileModule(mlirText);
//   mamba::SelectiveScanParams p = {...};         // codegen/device/Params.h
//   (*kernels)[0].launch(&p, sizeof(p), {.batch = 2, .seqlen = 4096});
//
// Environment: MAMBA_CACHE_DIR (default ~/.cache/mamba-jit; "off" disables
// the disk cache), MAMBA_DUMP_DIR (write <kernel>.mlir, .cu and .log for every
// kernel compiled), MAMBA_ARCH (override the target, e.g. sm_80).
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_JIT_H
#define MAMBA_RUNTIME_JIT_H

#include "runtime/Gpu.h"
#include "runtime/Progress.h"
#include "runtime/Result.h"

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mamba {

/// Run-time sizes that grid extents may depend on.
struct LaunchSizes {
  int64_t batch = 1;
  int64_t seqlen = 1;
  int64_t rows = 1; // rows of a norm or embedding, elements of a pointwise op
};

/// What was compiled, for inspection and tests.
struct KernelInfo {
  std::string opName;       // "mamba.selective_scan"
  std::string symbol;       // "mamba_selective_scan_bf16_..."
  std::string paramsStruct; // "SelectiveScanParams"
  std::string source;       // the CUDA C++ given to NVRTC
  std::string arch;         // "sm_90"
  std::array<int64_t, 3> block = {1, 1, 1};
  int64_t smem = 0;
  int registers = -1; // from ptxas
  int spillBytes = 0; // spill stores + loads, from ptxas
  bool fromCache = false;
};

class Jit;

/// A compiled, loaded kernel. Copyable handle; valid while its Jit lives.
class CompiledKernel {
public:
  const KernelInfo &info() const;
  /// Grid extents for the given sizes.
  std::array<int64_t, 3> grid(const LaunchSizes &sizes) const;
  /// Launches on the GPU stream with `params` (the op's struct from
  /// codegen/device/Params.h, passed by value to the kernel).
  Status launch(const void *params, size_t paramsSize,
                const LaunchSizes &sizes) const;

  struct Impl;
  explicit CompiledKernel(std::shared_ptr<Impl> impl)
      : impl_(std::move(impl)) {}

private:
  std::shared_ptr<Impl> impl_;
};

struct JitOptions {
  /// Target arch; empty means the GPU's own (or $MAMBA_ARCH).
  std::string arch;
  /// Disk cache directory; empty means $MAMBA_CACHE_DIR or ~/.cache/mamba-jit;
  /// "off" disables it.
  std::string cacheDir;
  /// Dump directory; empty means $MAMBA_DUMP_DIR (unset: no dumps).
  std::string dumpDir;
  /// NVRTC compiles in parallel on this many threads (0: all cores).
  int threads = 0;
  /// Tuning database the tile passes consult (passes/TuningDb.h); empty means
  /// $MAMBA_TUNING_DB, else the cache directory's tuning-<arch>.json, else
  /// the shipped one; "off" means none.
  std::string tuningDb;
  /// Called as kernels are compiled or found in the cache ("compiling
  /// kernels", done of total), from the compiling threads.
  ProgressCallback onProgress;
};

class Jit {
public:
  /// A Jit that compiles for and launches on `gpu`.
  static Result<std::unique_ptr<Jit>> create(std::shared_ptr<GpuContext> gpu,
                                             JitOptions options = {});
  /// A Jit that only compiles (no GPU needed), for `options.arch`.
  static Result<std::unique_ptr<Jit>> createCompileOnly(JitOptions options);
  ~Jit();

  /// Parses `mlir`, runs mamba-to-cuda on it (planned ops keep their plans),
  /// and compiles every kernel op, in IR order. Parse, verification, pass and
  /// NVRTC errors come back with their diagnostics.
  Result<std::vector<CompiledKernel>> compileModule(std::string_view mlir);

  const std::string &arch() const;
  GpuContext *gpu() const;

  struct Impl;
  /// The internals, for the model runtime (runtime/cuda/JitImpl.h).
  Impl &impl() { return *impl_; }

private:
  explicit Jit(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace mamba

#endif // MAMBA_RUNTIME_JIT_H
