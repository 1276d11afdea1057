//===- CudaDriver.cpp - the CUDA driver API, loaded at run time -----------===//

#include "runtime/cuda/CudaDriver.h"

#include <dlfcn.h>

#include <mutex>

using namespace mamba;
using namespace mamba::cuda;

namespace {
using GetProcAddressFn = CUresult (*)(const char *, void **, int, cuuint64_t,
                                      CUdriverProcAddressQueryResult *);

Result<void *> openDriver() {
  void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return Error(std::string("the CUDA driver (libcuda.so.1) is not "
                             "installed or not on the library path: ") +
                 dlerror());
  return lib;
}

Result<const CudaDriver *> loadDriver() {
  Result<void *> opened = openDriver();
  if (!opened.ok())
    return Error(opened.error());
  void *lib = *opened;
  auto getProc =
      reinterpret_cast<GetProcAddressFn>(dlsym(lib, "cuGetProcAddress_v2"));
  if (!getProc)
    return Error("the CUDA driver is too old: it lacks cuGetProcAddress_v2 "
                 "(a driver for CUDA 12 or newer is needed)");
  static CudaDriver driver;
  CUdriverProcAddressQueryResult status;
#define MAMBA_RESOLVE_FN(name)                                                 \
  if (getProc(#name, reinterpret_cast<void **>(&driver.name), CUDA_VERSION,    \
              CU_GET_PROC_ADDRESS_DEFAULT, &status) != CUDA_SUCCESS ||         \
      !driver.name)                                                            \
    return Error("the CUDA driver lacks " #name " for CUDA " +                 \
                 std::to_string(CUDA_VERSION) + "; update the NVIDIA driver");
  MAMBA_CUDA_DRIVER_FUNCTIONS(MAMBA_RESOLVE_FN)
#undef MAMBA_RESOLVE_FN
  CUresult r = driver.cuInit(0);
  if (r != CUDA_SUCCESS)
    return Error("cuInit failed: " + driver.describe(r));
  return &driver;
}
} // namespace

Result<const CudaDriver *> CudaDriver::get() {
  static std::once_flag once;
  static Result<const CudaDriver *> result = Error("not loaded");
  std::call_once(once, [] { result = loadDriver(); });
  return result;
}

Result<int> mamba::cuda::driverVersion() {
  Result<void *> lib = openDriver();
  if (!lib.ok())
    return Error(lib.error());
  auto get = reinterpret_cast<decltype(&::cuDriverGetVersion)>(
      dlsym(*lib, "cuDriverGetVersion"));
  int version = 0;
  if (!get || get(&version) != CUDA_SUCCESS)
    return Error("libcuda.so.1 does not report its version");
  return version;
}

std::string CudaDriver::describe(CUresult r) const {
  const char *name = nullptr, *text = nullptr;
  if (cuGetErrorName)
    cuGetErrorName(r, &name);
  if (cuGetErrorString)
    cuGetErrorString(r, &text);
  return std::string(name ? name : "CUDA error " + std::to_string(int(r))) +
         (text ? std::string(": ") + text : "");
}

Status mamba::cuda::check(CUresult r, const char *what) {
  if (r == CUDA_SUCCESS)
    return Status::success();
  Result<const CudaDriver *> drv = CudaDriver::get();
  std::string text =
      drv.ok() ? (*drv)->describe(r) : "CUDA error " + std::to_string(int(r));
  return Error(std::string(what) + " failed: " + text);
}
