//===- Blas.h - cuBLAS GEMMs on the runtime's stream ------------*- C++ -*-===//
//
// GEMMs go through cuBLASLt. The first time a shape (with its transposes,
// leading dimensions, batch strides, dtype and pointer alignment) is run
// outside graph capture, the heuristic's candidate algorithms are each timed
// on the real operands and the fastest is kept for that shape; later calls,
// and calls captured into CUDA graphs, reuse it. The heuristic's first
// choice for a skinny decode GEMM is often several times slower than the
// best candidate. MAMBA_GEMM_TUNE=0 turns the timing off (first heuristic
// choice only).
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_CUDA_BLAS_H
#define MAMBA_RUNTIME_CUDA_BLAS_H

#include "runtime/DType.h"
#include "runtime/Gpu.h"
#include "runtime/Result.h"

#include <map>
#include <memory>
#include <string>

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

  /// Shapes tuned so far (for tests and logs).
  size_t tunedShapes() const;

private:
  struct Plan;
  Blas() = default;
  Result<Plan *> plan(const Gemm &g);
  Status launch(const Gemm &g, const Plan &p, int algo);

  GpuContext *gpu_ = nullptr;
  void *handle_ = nullptr;
  DeviceBuffer workspace_;
  bool tune_ = true;
  std::map<std::string, std::unique_ptr<Plan>> plans_;
};

} // namespace cuda
} // namespace mamba

#endif // MAMBA_RUNTIME_CUDA_BLAS_H
