//===- Nvrtc.h - CUDA C++ to CUBIN with NVRTC -------------------*- C++ -*-===//
#ifndef MAMBA_RUNTIME_CUDA_NVRTC_H
#define MAMBA_RUNTIME_CUDA_NVRTC_H

#include "runtime/Result.h"

#include <string>
#include <utility>
#include <vector>

namespace mamba {
namespace cuda {

struct NvrtcOutput {
  std::string cubin;
  std::string log;     // NVRTC and ptxas messages
  int registers = -1;  // per thread, from ptxas -v
  int spillStores = 0; // bytes
  int spillLoads = 0;  // bytes
};

/// In-memory headers: (include name, text).
using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// Compiles `source` for `arch` ("sm_90") to a CUBIN. On failure the error
/// carries NVRTC's log.
Result<NvrtcOutput> compileWithNvrtc(const std::string &source,
                                     const std::string &programName,
                                     const std::string &arch,
                                     const HeaderList &headers);

/// "NVRTC 13.0", part of the kernel cache key; an error when NVRTC cannot
/// be loaded (NVRTC is opened at run time, see CudaLibrary.h).
Result<std::string> nvrtcVersionString();

/// The CUDA toolkit's include directory (for cuda_fp16.h and cuda_bf16.h):
/// $CUDA_HOME or $CUDA_PATH, else /usr/local/cuda.
Result<std::string> cudaIncludeDir();

} // namespace cuda
} // namespace mamba

#endif // MAMBA_RUNTIME_CUDA_NVRTC_H
