//===- Version.cpp - what this build is and what it found -----------------===//

#include "runtime/Version.h"

#if MAMBA_HAVE_CUDA
#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/Nvrtc.h"
#endif

#include "llvm/Config/llvm-config.h"

using namespace mamba;

std::string mamba::versionText(const std::string &tool) {
  std::string text = tool + " (mamba-jit) " + buildCommit() + "\n";
  text += "MLIR/LLVM: " LLVM_VERSION_STRING "\n";
#if MAMBA_HAVE_CUDA
  text += "CUDA toolkit (compiled against): " MAMBA_CUDA_TOOLKIT_VERSION "\n";
  Result<int> driver = cuda::driverVersion();
  if (driver.ok())
    text += "CUDA driver: " + std::to_string(*driver / 1000) + "." +
            std::to_string(*driver % 1000 / 10) + " (libcuda.so.1)\n";
  else
    text += "CUDA driver: no CUDA driver (" + driver.error() + ")\n";
  Result<std::string> nvrtc = cuda::nvrtcVersionString();
  if (nvrtc.ok())
    text += "NVRTC: " + nvrtc->substr(nvrtc->find(' ') + 1) + "\n";
  else
    text += "NVRTC: not found (" + nvrtc.error() + ")\n";
#else
  text += "CUDA: this build has no CUDA backend\n";
#endif
  text.pop_back(); // the last newline
  return text;
}
