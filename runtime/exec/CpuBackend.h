//===- CpuBackend.h - mamba ops on the CPU reference kernels ----*- C++ -*-===//
//
// Every tensor lives in host memory as f32 (16-bit models are run in f32 on
// their rounded weights); the ops run on runtime/cpu's reference kernels and
// OpenBLAS. This is both the backend for machines without a GPU and the
// oracle the GPU results are compared with.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_EXEC_CPUBACKEND_H
#define MAMBA_RUNTIME_EXEC_CPUBACKEND_H

#include "runtime/exec/Interpreter.h"
#include "runtime/model/Tensor.h"

namespace mamba {
namespace exec {

class CpuBackend : public Backend {
public:
  Result<RtTensor> allocate(DType dtype,
                            const std::vector<int64_t> &shape) override;
  Status prepare(mlir::Operation *op) override;
  Status run(mlir::Operation *op, const std::vector<RtTensor> &operands,
             std::vector<RtTensor> &results) override;
  Status copy(const RtTensor &src, RtTensor &dst) override;
};

/// A CPU tensor of `shape` that takes over the storage of the f32 tensor
/// `host` (of as many elements), without a copy.
RtTensor adoptHostTensor(Tensor host, const std::vector<int64_t> &shape);

} // namespace exec
} // namespace mamba

#endif // MAMBA_RUNTIME_EXEC_CPUBACKEND_H
