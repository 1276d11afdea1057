//===- Blas.cpp - cuBLASLt GEMMs on the runtime's stream ------------------===//

#include "runtime/cuda/Blas.h"
#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/CudaLibrary.h"

#include <cublasLt.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace mamba;
using namespace mamba::cuda;

namespace {

constexpr size_t kWorkspaceBytes = size_t(32) << 20;
constexpr int kCandidates = 8;

#define MAMBA_CUBLASLT_FUNCTIONS(X)                                            \
  X(cublasLtCreate)                                                            \
  X(cublasLtDestroy)                                                           \
  X(cublasLtGetStatusName)                                                     \
  X(cublasLtGetStatusString)                                                   \
  X(cublasLtMatmul)                                                            \
  X(cublasLtMatmulAlgoGetHeuristic)                                            \
  X(cublasLtMatmulDescCreate)                                                  \
  X(cublasLtMatmulDescDestroy)                                                 \
  X(cublasLtMatmulDescSetAttribute)                                            \
  X(cublasLtMatmulPreferenceCreate)                                            \
  X(cublasLtMatmulPreferenceDestroy)                                           \
  X(cublasLtMatmulPreferenceSetAttribute)                                      \
  X(cublasLtMatrixLayoutCreate)                                                \
  X(cublasLtMatrixLayoutDestroy)                                               \
  X(cublasLtMatrixLayoutSetAttribute)

/// The cuBLASLt entry points, resolved from libcublasLt.so.<major> when the
/// first Blas is created.
struct CublasLtApi {
  MAMBA_CUBLASLT_FUNCTIONS(MAMBA_DECLARE_LIBRARY_FN)
  Status resolve(const CudaLibrary &lib) {
    MAMBA_CUBLASLT_FUNCTIONS(MAMBA_RESOLVE_LIBRARY_FN)
    return Status::success();
  }
};

Result<const CublasLtApi *> cublasLt() {
  static const Result<const CublasLtApi *> api = loadLibraryTable<CublasLtApi>(
      "libcublasLt.so." + std::to_string(CUBLAS_VER_MAJOR), "cuBLASLt");
  return api;
}

/// The table; only called once Blas::create has loaded it.
const CublasLtApi &lt() { return **cublasLt(); }

Status checkLt(cublasStatus_t s, const char *what) {
  if (s == CUBLAS_STATUS_SUCCESS)
    return Status::success();
  return Error(std::string(what) + " failed: " + lt().cublasLtGetStatusName(s) +
               " (" + lt().cublasLtGetStatusString(s) + ")");
}

const CudaDriver &drv() { return **CudaDriver::get(); }

/// The largest power of two up to 256 that divides every address the
/// operand's batches start at (cuBLASLt's algorithms have alignment needs).
uint32_t alignment(const void *p, int64_t ld, int64_t stride, size_t elt) {
  uint64_t bits = reinterpret_cast<uintptr_t>(p) | uint64_t(ld * elt) |
                  uint64_t(stride * elt) | 256;
  return uint32_t(bits & (~bits + 1));
}

} // namespace

/// The descriptors of one GEMM shape and the algorithm chosen for it.
struct Blas::Plan {
  cublasLtMatmulDesc_t desc = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
  std::vector<cublasLtMatmulHeuristicResult_t> candidates;
  int chosen = 0;
  bool tuned = false;
  ~Plan() {
    if (desc)
      lt().cublasLtMatmulDescDestroy(desc);
    for (cublasLtMatrixLayout_t l : {a, b, c})
      if (l)
        lt().cublasLtMatrixLayoutDestroy(l);
  }
};

Result<std::unique_ptr<Blas>> Blas::create(GpuContext &gpu) {
  MAMBA_TRY(cublasLt());
  MAMBA_TRY(gpu.makeCurrent());
  std::unique_ptr<Blas> blas(new Blas());
  blas->gpu_ = &gpu;
  cublasLtHandle_t h;
  MAMBA_TRY(checkLt(lt().cublasLtCreate(&h), "cublasLtCreate"));
  blas->handle_ = h;
  // 32 MiB, what cuBLAS recommends for Hopper; a user workspace means no
  // allocation inside a captured graph.
  Result<DeviceBuffer> ws = gpu.alloc(kWorkspaceBytes);
  if (!ws.ok())
    return Error(ws.error());
  blas->workspace_ = ws.take();
  const char *tune = std::getenv("MAMBA_GEMM_TUNE");
  blas->tune_ = !(tune && std::strcmp(tune, "0") == 0);
  return blas;
}

Blas::~Blas() {
  plans_.clear();
  if (handle_)
    lt().cublasLtDestroy(static_cast<cublasLtHandle_t>(handle_));
}

size_t Blas::tunedShapes() const {
  return size_t(std::count_if(plans_.begin(), plans_.end(),
                              [](const auto &p) { return p.second->tuned; }));
}

Result<Blas::Plan *> Blas::plan(const Gemm &g) {
  size_t elt = dtypeSize(g.dtype);
  uint32_t alA = alignment(g.A, g.lda, g.strideA, elt),
           alB = alignment(g.B, g.ldb, g.strideB, elt),
           alC = alignment(g.C, g.ldc, g.strideC, elt);
  std::string key;
  for (int64_t v : {int64_t(g.transA), int64_t(g.transB), g.m, g.n, g.k, g.lda,
                    g.ldb, g.ldc, g.strideA, g.strideB, g.strideC, g.batch,
                    int64_t(g.dtype), int64_t(alA), int64_t(alB), int64_t(alC)})
    key += std::to_string(v) + ",";
  auto it = plans_.find(key);
  if (it != plans_.end())
    return it->second.get();

  auto p = std::make_unique<Plan>();
  cudaDataType_t t = g.dtype == DType::F16    ? CUDA_R_16F
                     : g.dtype == DType::BF16 ? CUDA_R_16BF
                                              : CUDA_R_32F;
  // f32 models keep exact f32 products (no TF32): the CPU comparison
  // expects 1e-5.
  MAMBA_TRY(checkLt(
      lt().cublasLtMatmulDescCreate(&p->desc, CUBLAS_COMPUTE_32F, CUDA_R_32F),
      "cublasLtMatmulDescCreate"));
  cublasOperation_t ta = g.transA ? CUBLAS_OP_T : CUBLAS_OP_N;
  cublasOperation_t tb = g.transB ? CUBLAS_OP_T : CUBLAS_OP_N;
  MAMBA_TRY(checkLt(lt().cublasLtMatmulDescSetAttribute(
                        p->desc, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof(ta)),
                    "cublasLtMatmulDescSetAttribute"));
  MAMBA_TRY(checkLt(lt().cublasLtMatmulDescSetAttribute(
                        p->desc, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof(tb)),
                    "cublasLtMatmulDescSetAttribute"));
  auto layout = [&](cublasLtMatrixLayout_t &l, int64_t rows, int64_t cols,
                    int64_t ld, int64_t stride) -> Status {
    MAMBA_TRY(checkLt(lt().cublasLtMatrixLayoutCreate(&l, t, uint64_t(rows),
                                                      uint64_t(cols), ld),
                      "cublasLtMatrixLayoutCreate"));
    if (g.batch > 1) {
      int32_t count = int32_t(g.batch);
      MAMBA_TRY(checkLt(
          lt().cublasLtMatrixLayoutSetAttribute(
              l, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &count, sizeof(count)),
          "cublasLtMatrixLayoutSetAttribute"));
      MAMBA_TRY(checkLt(lt().cublasLtMatrixLayoutSetAttribute(
                            l, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET,
                            &stride, sizeof(stride)),
                        "cublasLtMatrixLayoutSetAttribute"));
    }
    return Status::success();
  };
  MAMBA_TRY(layout(p->a, g.transA ? g.k : g.m, g.transA ? g.m : g.k, g.lda,
                   g.strideA));
  MAMBA_TRY(layout(p->b, g.transB ? g.n : g.k, g.transB ? g.k : g.n, g.ldb,
                   g.strideB));
  MAMBA_TRY(layout(p->c, g.m, g.n, g.ldc, g.strideC));

  cublasLtMatmulPreference_t pref;
  MAMBA_TRY(checkLt(lt().cublasLtMatmulPreferenceCreate(&pref),
                    "cublasLtMatmulPreferenceCreate"));
  uint64_t ws = kWorkspaceBytes;
  lt().cublasLtMatmulPreferenceSetAttribute(
      pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof(ws));
  lt().cublasLtMatmulPreferenceSetAttribute(
      pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, &alA, sizeof(alA));
  lt().cublasLtMatmulPreferenceSetAttribute(
      pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, &alB, sizeof(alB));
  lt().cublasLtMatmulPreferenceSetAttribute(
      pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, &alC, sizeof(alC));
  lt().cublasLtMatmulPreferenceSetAttribute(
      pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, &alC, sizeof(alC));
  p->candidates.resize(kCandidates);
  int found = 0;
  cublasStatus_t hs = lt().cublasLtMatmulAlgoGetHeuristic(
      static_cast<cublasLtHandle_t>(handle_), p->desc, p->a, p->b, p->c, p->c,
      pref, kCandidates, p->candidates.data(), &found);
  lt().cublasLtMatmulPreferenceDestroy(pref);
  MAMBA_TRY(checkLt(hs, "cublasLtMatmulAlgoGetHeuristic"));
  p->candidates.resize(size_t(found));
  if (found == 0)
    return Error(
        "cuBLASLt has no algorithm for a " + std::string(dtypeName(g.dtype)) +
        " GEMM m=" + std::to_string(g.m) + " n=" + std::to_string(g.n) +
        " k=" + std::to_string(g.k) + " batch=" + std::to_string(g.batch));
  Plan *raw = p.get();
  plans_.emplace(key, std::move(p));
  return raw;
}

Status Blas::launch(const Gemm &g, const Plan &p, int algo) {
  const float alpha = 1.0f, beta = 0.0f;
  return checkLt(lt().cublasLtMatmul(static_cast<cublasLtHandle_t>(handle_),
                                     p.desc, &alpha, g.A, p.a, g.B, p.b, &beta,
                                     g.C, p.c, g.C, p.c,
                                     &p.candidates[size_t(algo)].algo,
                                     workspace_.data(), kWorkspaceBytes,
                                     static_cast<cudaStream_t>(gpu_->stream())),
                 "cublasLtMatmul");
}

Status Blas::run(const Gemm &g) {
  CUstreamCaptureStatus capture = CU_STREAM_CAPTURE_STATUS_NONE;
  MAMBA_TRY(check(drv().cuStreamIsCapturing(
                      static_cast<CUstream>(gpu_->stream()), &capture),
                  "cuStreamIsCapturing"));
  bool capturing = capture != CU_STREAM_CAPTURE_STATUS_NONE;
  Result<Plan *> pr = plan(g);
  if (!pr.ok())
    return Error(pr.error());
  Plan &p = **pr;
  if (p.tuned || capturing || !tune_ || p.candidates.size() == 1)
    return launch(g, p, p.chosen);

  // Time each candidate on the real operands (C = A.B overwrites C, so
  // running it more than once changes nothing) and keep the fastest.
  CUevent start, stop;
  MAMBA_TRY(
      check(drv().cuEventCreate(&start, CU_EVENT_DEFAULT), "cuEventCreate"));
  MAMBA_TRY(
      check(drv().cuEventCreate(&stop, CU_EVENT_DEFAULT), "cuEventCreate"));
  CUstream s = static_cast<CUstream>(gpu_->stream());
  float best = 0;
  int bestAlgo = -1;
  for (int a = 0; a < int(p.candidates.size()); ++a) {
    if (!launch(g, p, a).ok())
      continue; // an algorithm that refuses these operands is skipped
    drv().cuEventRecord(start, s);
    constexpr int kRuns = 3;
    for (int r = 0; r < kRuns; ++r)
      (void)launch(g, p, a);
    drv().cuEventRecord(stop, s);
    float ms = 0;
    if (drv().cuEventSynchronize(stop) != CUDA_SUCCESS ||
        drv().cuEventElapsedTime(&ms, start, stop) != CUDA_SUCCESS)
      continue;
    if (bestAlgo < 0 || ms < best) {
      best = ms;
      bestAlgo = a;
    }
  }
  drv().cuEventDestroy(start);
  drv().cuEventDestroy(stop);
  if (bestAlgo < 0)
    return Error("no cuBLASLt algorithm ran a GEMM m=" + std::to_string(g.m) +
                 " n=" + std::to_string(g.n) + " k=" + std::to_string(g.k));
  p.chosen = bestAlgo;
  p.tuned = true;
  return launch(g, p, p.chosen);
}
