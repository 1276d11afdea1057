//===- CudaDriver.h - the CUDA driver API, loaded at run time ---*- C++ -*-===//
//
// The driver (libcuda.so.1) is opened with dlopen, so every binary starts on
// a machine without a GPU and reports that plainly instead of failing to
// load. Functions are resolved through cuGetProcAddress for the CUDA version
// of the headers we compiled against, which picks the right versioned entry
// point (cuMemAlloc_v2, ...). A function that cuda.h renames to another
// function (cuGraphInstantiate -> cuGraphInstantiateWithFlags) is listed under
// its real name: asking for the old name returns the old signature.
//
// This directory (runtime/cuda/) is the only place that includes CUDA
// headers and the only place that launches kernels.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_CUDA_CUDADRIVER_H
#define MAMBA_RUNTIME_CUDA_CUDADRIVER_H

#include "runtime/Result.h"

#include <cuda.h>

#include <string>

namespace mamba {
namespace cuda {

#define MAMBA_CUDA_DRIVER_FUNCTIONS(X)                                         \
  X(cuInit)                                                                    \
  X(cuDriverGetVersion)                                                        \
  X(cuGetErrorName)                                                            \
  X(cuGetErrorString)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGetName)                                                           \
  X(cuDeviceGetAttribute)                                                      \
  X(cuDeviceTotalMem)                                                          \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuDevicePrimaryCtxRelease)                                                 \
  X(cuCtxSetCurrent)                                                           \
  X(cuCtxSynchronize)                                                          \
  X(cuModuleLoadData)                                                          \
  X(cuModuleUnload)                                                            \
  X(cuModuleGetFunction)                                                       \
  X(cuFuncSetAttribute)                                                        \
  X(cuFuncGetAttribute)                                                        \
  X(cuLaunchKernel)                                                            \
  X(cuMemAlloc)                                                                \
  X(cuMemFree)                                                                 \
  X(cuMemAllocHost)                                                            \
  X(cuMemFreeHost)                                                             \
  X(cuMemGetInfo)                                                              \
  X(cuMemcpyHtoD)                                                              \
  X(cuMemcpyDtoH)                                                              \
  X(cuMemcpyHtoDAsync)                                                         \
  X(cuMemcpyDtoHAsync)                                                         \
  X(cuMemcpyDtoDAsync)                                                         \
  X(cuMemsetD8Async)                                                           \
  X(cuMemsetD32Async)                                                          \
  X(cuStreamCreate)                                                            \
  X(cuStreamDestroy)                                                           \
  X(cuStreamSynchronize)                                                       \
  X(cuStreamBeginCapture)                                                      \
  X(cuStreamEndCapture)                                                        \
  X(cuStreamIsCapturing)                                                       \
  X(cuGraphInstantiateWithFlags)                                               \
  X(cuGraphLaunch)                                                             \
  X(cuGraphDestroy)                                                            \
  X(cuGraphExecDestroy)                                                        \
  X(cuEventCreate)                                                             \
  X(cuEventDestroy)                                                            \
  X(cuEventRecord)                                                             \
  X(cuEventSynchronize)                                                        \
  X(cuEventElapsedTime)

/// The resolved driver entry points.
struct CudaDriver {
#define MAMBA_DECLARE_FN(name) decltype(&::name) name = nullptr;
  MAMBA_CUDA_DRIVER_FUNCTIONS(MAMBA_DECLARE_FN)
#undef MAMBA_DECLARE_FN

  /// Loads the driver once per process and initialises it. Fails with a
  /// readable message when libcuda.so.1 is missing or cuInit fails (for
  /// example "no CUDA-capable device is detected").
  static Result<const CudaDriver *> get();

  /// "CUDA_ERROR_OUT_OF_MEMORY: out of memory" for a CUresult.
  std::string describe(CUresult r) const;
};

/// The CUDA version the installed driver supports (13000 for 13.0), asked
/// without initialising the driver (no GPU needed); an error when
/// libcuda.so.1 cannot be loaded.
Result<int> driverVersion();

/// Returns an Error naming `what` when `r` is not CUDA_SUCCESS.
Status check(CUresult r, const char *what);

} // namespace cuda
} // namespace mamba

#endif // MAMBA_RUNTIME_CUDA_CUDADRIVER_H
