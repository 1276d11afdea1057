//===- Blas.cpp - cuBLAS GEMMs on the runtime's stream --------------------===//

#include "runtime/cuda/Blas.h"

#include <cublas_v2.h>

using namespace mamba;
using namespace mamba::cuda;

static Status checkBlas(cublasStatus_t s, const char *what) {
  if (s == CUBLAS_STATUS_SUCCESS)
    return Status::success();
  return Error(std::string(what) + " failed: " + cublasGetStatusName(s) + " (" +
               cublasGetStatusString(s) + ")");
}

Result<std::unique_ptr<Blas>> Blas::create(GpuContext &gpu) {
  MAMBA_TRY(gpu.makeCurrent());
  std::unique_ptr<Blas> blas(new Blas());
  cublasHandle_t h;
  MAMBA_TRY(checkBlas(cublasCreate(&h), "cublasCreate"));
  blas->handle_ = h;
  MAMBA_TRY(checkBlas(cublasSetStream(h, static_cast<cudaStream_t>(gpu.stream())),
                      "cublasSetStream"));
  // 32 MiB, what cuBLAS recommends for Hopper; a user workspace means no
  // allocation inside a captured graph.
  const size_t bytes = size_t(32) << 20;
  Result<DeviceBuffer> ws = gpu.alloc(bytes);
  if (!ws.ok())
    return Error(ws.error());
  blas->workspace_ = ws.take();
  MAMBA_TRY(checkBlas(cublasSetWorkspace(h, blas->workspace_.data(), bytes),
                      "cublasSetWorkspace"));
  // Exact f32 (no TF32) for f32 models: the CPU comparison expects 1e-5.
  MAMBA_TRY(checkBlas(cublasSetMathMode(h, CUBLAS_DEFAULT_MATH),
                      "cublasSetMathMode"));
  return blas;
}

Blas::~Blas() {
  if (handle_)
    cublasDestroy(static_cast<cublasHandle_t>(handle_));
}

Status Blas::run(const Gemm &g) {
  cudaDataType_t t = g.dtype == DType::F16    ? CUDA_R_16F
                     : g.dtype == DType::BF16 ? CUDA_R_16BF
                                              : CUDA_R_32F;
  const float alpha = 1.0f, beta = 0.0f;
  cublasOperation_t ta = g.transA ? CUBLAS_OP_T : CUBLAS_OP_N;
  cublasOperation_t tb = g.transB ? CUBLAS_OP_T : CUBLAS_OP_N;
  auto h = static_cast<cublasHandle_t>(handle_);
  if (g.batch == 1)
    return checkBlas(cublasGemmEx(h, ta, tb, int(g.m), int(g.n), int(g.k),
                                  &alpha, g.A, t, int(g.lda), g.B, t,
                                  int(g.ldb), &beta, g.C, t, int(g.ldc),
                                  CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
                     "cublasGemmEx");
  return checkBlas(cublasGemmStridedBatchedEx(
                       h, ta, tb, int(g.m), int(g.n), int(g.k), &alpha, g.A, t,
                       int(g.lda), g.strideA, g.B, t, int(g.ldb), g.strideB,
                       &beta, g.C, t, int(g.ldc), g.strideC, int(g.batch),
                       CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
                   "cublasGemmStridedBatchedEx");
}
