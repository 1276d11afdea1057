//===- CudaBackend.h - mamba ops as generated kernels and cuBLAS -*- C++ -*-=//
//
// Runs planned ops (the output of mamba-to-cuda): kernel ops launch the
// kernel compiled for their `kernel` symbol, mamba.linear runs a cuBLAS GEMM
// in whichever layout the IR asks for. Device memory comes from a caching
// pool, so steady-state steps never call cuMemAlloc, which also lets a whole
// decode step be captured into a CUDA graph.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_CUDA_CUDABACKEND_H
#define MAMBA_RUNTIME_CUDA_CUDABACKEND_H

#include "runtime/Jit.h"
#include "runtime/cuda/Blas.h"
#include "runtime/cuda/OpProfiler.h"
#include "runtime/exec/Interpreter.h"

#include "dialect/MambaOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <map>
#include <memory>

namespace mamba {
namespace cuda {

class DevicePool;

class CudaBackend : public exec::Backend {
public:
  static Result<std::unique_ptr<CudaBackend>>
  create(std::shared_ptr<GpuContext> gpu, Jit &jit);
  ~CudaBackend() override;

  /// Compiles every kernel op of a planned module (in parallel).
  Status compileModule(mlir::ModuleOp module);

  Result<exec::RtTensor> allocate(DType dtype,
                                  const std::vector<int64_t> &shape) override;
  Status prepare(mlir::Operation *op) override;
  Status run(mlir::Operation *op, const std::vector<exec::RtTensor> &operands,
             std::vector<exec::RtTensor> &results) override;
  Status copy(const exec::RtTensor &src, exec::RtTensor &dst) override;

  GpuContext &gpu() { return *gpu_; }
  /// Kernels compiled so far (for reports).
  const std::map<std::string, CompiledKernel> &kernels() const {
    return kernels_;
  }
  /// Bytes held by the pool (in use or cached).
  size_t poolBytes() const;
  /// While recording, every block the pool hands out is also kept in a list;
  /// a captured CUDA graph holds on to that list, so the addresses baked into
  /// it are never handed to anyone else or freed.
  void startRecording();
  std::vector<std::shared_ptr<void>> stopRecording();

private:
  CudaBackend() = default;
  Status launchOp(mlir::Operation *op, const std::vector<exec::RtTensor> &in,
                  std::vector<exec::RtTensor> &out);
  /// Compiles the state-parallel twin of a chunked selective scan.
  Status compileShortScan(mlir::mamba::SelectiveScanOp scan);
  Status runLinear(mlir::Operation *op, const std::vector<exec::RtTensor> &in,
                   std::vector<exec::RtTensor> &out);

  std::shared_ptr<GpuContext> gpu_;
  Jit *jit_ = nullptr;
  std::unique_ptr<Blas> blas_;
  std::shared_ptr<DevicePool> pool_;
  std::map<std::string, CompiledKernel> kernels_;
  /// State-parallel twins of the selective scans, by the kernel symbol of the
  /// op; launched for sequences shorter than kShortScanMaxSeqLen.
  std::map<std::string, CompiledKernel> shortScans_;
  std::unique_ptr<OpProfiler> profiler_; // MAMBA_PROFILE=1
  DeviceBuffer errorFlag_; // written by the embedding kernel on a bad id
  /// At least `count` zeroed ints for the cross-block counters of
  /// conv_state_update (ConvStateUpdateParams::sync). Every kernel leaves
  /// them zero again, so one block serves every launch in stream order.
  Result<int *> syncCounters(int64_t count);
  /// Grown on demand; earlier blocks are kept, as a captured graph may use
  /// them.
  std::vector<DeviceBuffer> syncCounters_;
};

} // namespace cuda
} // namespace mamba

#endif // MAMBA_RUNTIME_CUDA_CUDABACKEND_H
