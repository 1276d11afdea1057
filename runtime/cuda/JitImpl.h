//===- JitImpl.h - the Jit's internals, for the runtime ---------*- C++ -*-===//
//
// The model executor builds IR in-process, so it compiles ops directly
// instead of going through text. Not part of the public API.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_CUDA_JITIMPL_H
#define MAMBA_RUNTIME_CUDA_JITIMPL_H

#include "runtime/Jit.h"
#include "runtime/cuda/KernelCache.h"

#include "passes/KernelPlan.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <cuda.h>

#include <map>
#include <mutex>

namespace mamba {

struct CompiledKernel::Impl {
  KernelInfo info;
  mlir::mamba::KernelPlan plan;
  size_t paramsSize = 0;
  std::shared_ptr<GpuContext> gpu;
  CUmodule module = nullptr;
  CUfunction function = nullptr;
  ~Impl();
};

struct Jit::Impl {
  std::shared_ptr<GpuContext> gpu;
  std::string arch;
  mlir::mamba::TargetInfo target;
  cuda::KernelCache cache;
  std::string dumpDir;
  std::string tuningDb; // JitOptions::tuningDb
  int threads = 1;
  ProgressCallback onProgress;
  mlir::MLIRContext context;
  std::mutex mutex;
  std::map<std::string, CompiledKernel> loaded; // by kernel symbol

  Impl(std::string cacheDir) : cache(std::move(cacheDir)) {}

  /// Runs mamba-to-cuda on `module` for this arch.
  Status plan(mlir::ModuleOp module);
  /// Compiles planned kernel ops (in parallel) and loads them.
  Result<std::vector<CompiledKernel>>
  compileOps(const std::vector<mlir::Operation *> &ops);
};

} // namespace mamba

#endif // MAMBA_RUNTIME_CUDA_JITIMPL_H
