//===- CudaLibrary.cpp - CUDA toolkit libraries opened at run time --------===//

#include "runtime/cuda/CudaLibrary.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

using namespace mamba;
using namespace mamba::cuda;

Result<void *> CudaLibrary::symbol(const char *name) const {
  dlerror();
  void *address = dlsym(handle, name);
  if (!address)
    return Error(path + " lacks " + name +
                 "; it is older than the CUDA toolkit this program was built "
                 "with (" MAMBA_CUDA_TOOLKIT_VERSION ")");
  return address;
}

Result<CudaLibrary> mamba::cuda::openCudaLibrary(const std::string &soname,
                                                 const std::string &what) {
  if (void *handle = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL))
    return CudaLibrary{handle, soname};
  std::string firstError = dlerror();
  std::vector<std::string> dirs;
  for (const char *var : {"CUDA_HOME", "CUDA_PATH"})
    if (const char *root = std::getenv(var); root && *root)
      for (const char *sub : {"/lib64", "/lib"})
        dirs.push_back(std::string(root) + sub);
  dirs.push_back(MAMBA_CUDA_TOOLKIT_LIBRARY_DIR);
  dirs.push_back("/usr/local/cuda/lib64");
  dirs.push_back("/usr/local/cuda/lib");
  std::string tried = "the default library path (LD_LIBRARY_PATH, "
                      "ld.so.cache: " +
                      firstError + ")";
  for (size_t i = 0; i < dirs.size(); ++i) {
    const std::string &dir = dirs[i];
    if (std::find(dirs.begin(), dirs.begin() + i, dir) != dirs.begin() + i)
      continue;
    std::string path = dir + "/" + soname;
    if (void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL))
      return CudaLibrary{handle, path};
    tried += ", " + dir;
  }
  return Error(what + " (" + soname +
               ") is not installed or not on the library path; looked in " +
               tried + ". Install the CUDA toolkit's " + what +
               ", or set CUDA_HOME or LD_LIBRARY_PATH to where it is");
}
