//===- Blas.h - cuBLAS GEMMs on the runtime's stream ------------*- C++ -*-===//
#ifndef MAMBA_RUNTIME_CUDA_BLAS_H
#define MAMBA_RUNTIME_CUDA_BLAS_H

#include "runtime/DType.h"
#include "runtime/Gpu.h"
#include "runtime/Result.h"

#include <memory>

namespace mamba {
namespace cuda {

/// Column-major GEMM C = op(A) op(B), batched with strides, f32 accumulation.
/// A fixed workspace keeps cuBLAS from allocating, so calls can be captured
/// into CUDA graphs.
class Blas {
public:
  static Result<std::unique_ptr<Blas>> create(GpuContext &gpu);
  ~Blas();

  struct Gemm {
    bool transA = false, transB = false;
    int64_t m = 0, n = 0, k = 0;
    const void *A = nullptr;
    int64_t lda = 0, strideA = 0;
    const void *B = nullptr;
    int64_t ldb = 0, strideB = 0;
    void *C = nullptr;
    int64_t ldc = 0, strideC = 0;
    int64_t batch = 1;
    DType dtype = DType::F32; // of A, B and C
  };
  Status run(const Gemm &g);

private:
  Blas() = default;
  void *handle_ = nullptr;
  DeviceBuffer workspace_;
};

} // namespace cuda
} // namespace mamba

#endif // MAMBA_RUNTIME_CUDA_BLAS_H
