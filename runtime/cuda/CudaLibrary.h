//===- CudaLibrary.h - CUDA toolkit libraries opened at run time -*- C++
//-*-===//
//
// NVRTC and cuBLASLt are large (the two relocate over half a million
// addresses at load), and only the GPU backend needs them, so nothing links
// them: like the driver (CudaDriver.h), each is opened with dlopen the first
// time it is needed and its functions are resolved into a table of pointers.
// A CPU run never opens them.
//
// A library is looked for by its soname on the default search path
// (LD_LIBRARY_PATH, ld.so.cache), then in $CUDA_HOME/lib64, $CUDA_HOME/lib,
// $CUDA_PATH/lib64, $CUDA_PATH/lib, the toolkit the build used, and
// /usr/local/cuda/lib64 and /usr/local/cuda/lib. The error of a missing
// library names it and every place that was tried.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_CUDA_CUDALIBRARY_H
#define MAMBA_RUNTIME_CUDA_CUDALIBRARY_H

#include "runtime/Result.h"

#include <string>

namespace mamba {
namespace cuda {

/// An opened shared library (never closed: the tables point into it).
struct CudaLibrary {
  void *handle = nullptr;
  /// What was opened: the soname, or the path it was found at.
  std::string path;
  /// Returns the address of `symbol`, or an error naming the library.
  Result<void *> symbol(const char *name) const;
};

/// Opens `soname` ("libnvrtc.so.13"); `what` names it in errors ("NVRTC").
Result<CudaLibrary> openCudaLibrary(const std::string &soname,
                                    const std::string &what);

/// Resolves `name` from `lib` into the function pointer `fn`.
template <typename Fn>
Status resolve(const CudaLibrary &lib, const char *name, Fn &fn) {
  Result<void *> address = lib.symbol(name);
  if (!address.ok())
    return Error(address.error());
  fn = reinterpret_cast<Fn>(*address);
  return Status::success();
}

/// Declares a member `name` of the type of function `::name`.
#define MAMBA_DECLARE_LIBRARY_FN(name) decltype(&::name) name = nullptr;
/// Inside a table's `Status resolve(const CudaLibrary &lib)`: resolves the
/// member `name`, returning the error when the library lacks it.
#define MAMBA_RESOLVE_LIBRARY_FN(name)                                         \
  MAMBA_TRY(::mamba::cuda::resolve(lib, #name, name));

/// Opens `soname` and resolves the table `Api` (a struct of function
/// pointers with `Status resolve(const CudaLibrary &)`). Call it once per
/// process: it fills one static table per Api.
template <typename Api>
Result<const Api *> loadLibraryTable(const std::string &soname,
                                     const std::string &what) {
  Result<CudaLibrary> lib = openCudaLibrary(soname, what);
  if (!lib.ok())
    return Error(lib.error());
  static Api api;
  MAMBA_TRY(api.resolve(*lib));
  return &api;
}

} // namespace cuda
} // namespace mamba

#endif // MAMBA_RUNTIME_CUDA_CUDALIBRARY_H
