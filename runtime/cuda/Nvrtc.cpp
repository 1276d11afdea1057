//===- Nvrtc.cpp - CUDA C++ to CUBIN with NVRTC ---------------------------===//

#include "runtime/cuda/Nvrtc.h"
#include "runtime/cuda/CudaLibrary.h"

#include <cuda.h>
#include <nvrtc.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sys/stat.h>

using namespace mamba;
using namespace mamba::cuda;

namespace {

#define MAMBA_NVRTC_FUNCTIONS(X)                                               \
  X(nvrtcVersion)                                                              \
  X(nvrtcGetErrorString)                                                       \
  X(nvrtcCreateProgram)                                                        \
  X(nvrtcDestroyProgram)                                                       \
  X(nvrtcCompileProgram)                                                       \
  X(nvrtcGetProgramLogSize)                                                    \
  X(nvrtcGetProgramLog)                                                        \
  X(nvrtcGetCUBINSize)                                                         \
  X(nvrtcGetCUBIN)

/// The NVRTC entry points, resolved from libnvrtc.so.<CUDA major>.
struct NvrtcApi {
  MAMBA_NVRTC_FUNCTIONS(MAMBA_DECLARE_LIBRARY_FN)
  Status resolve(const CudaLibrary &lib) {
    MAMBA_NVRTC_FUNCTIONS(MAMBA_RESOLVE_LIBRARY_FN)
    return Status::success();
  }
};

/// Loads NVRTC the first time (once per process).
Result<const NvrtcApi *> nvrtc() {
  static const Result<const NvrtcApi *> api = loadLibraryTable<NvrtcApi>(
      "libnvrtc.so." + std::to_string(CUDA_VERSION / 1000), "NVRTC");
  return api;
}

} // namespace

static bool fileExists(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

Result<std::string> mamba::cuda::cudaIncludeDir() {
  std::vector<std::string> roots;
  for (const char *var : {"CUDA_HOME", "CUDA_PATH"})
    if (const char *v = std::getenv(var))
      roots.push_back(v);
  roots.push_back("/usr/local/cuda");
  for (const std::string &root : roots)
    if (fileExists(root + "/include/cuda_fp16.h"))
      return root + "/include";
  return Error("cannot find the CUDA headers NVRTC needs (cuda_fp16.h): "
               "looked in $CUDA_HOME, $CUDA_PATH and /usr/local/cuda; set "
               "CUDA_HOME to the CUDA toolkit");
}

Result<std::string> mamba::cuda::nvrtcVersionString() {
  Result<const NvrtcApi *> api = nvrtc();
  if (!api.ok())
    return Error(api.error());
  int major = 0, minor = 0;
  (*api)->nvrtcVersion(&major, &minor);
  return "NVRTC " + std::to_string(major) + "." + std::to_string(minor);
}

/// Reads "<n> <what>" figures out of the ptxas -v report.
static int ptxasFigure(const std::string &log, const std::string &pattern) {
  std::smatch m;
  if (std::regex_search(log, m, std::regex(pattern)))
    return std::atoi(m[1].str().c_str());
  return -1;
}

Result<NvrtcOutput> mamba::cuda::compileWithNvrtc(
    const std::string &source, const std::string &programName,
    const std::string &arch, const HeaderList &headers) {
  Result<const NvrtcApi *> loaded = nvrtc();
  if (!loaded.ok())
    return Error(loaded.error());
  const NvrtcApi &api = **loaded;
  Result<std::string> include = cudaIncludeDir();
  if (!include.ok())
    return Error(include.error());
  std::vector<const char *> names, texts;
  for (auto &[name, text] : headers) {
    names.push_back(name.c_str());
    texts.push_back(text.c_str());
  }
  nvrtcProgram prog;
  nvrtcResult r =
      api.nvrtcCreateProgram(&prog, source.c_str(), programName.c_str(),
                             int(headers.size()), texts.data(), names.data());
  if (r != NVRTC_SUCCESS)
    return Error(std::string("nvrtcCreateProgram failed: ") +
                 api.nvrtcGetErrorString(r));
  std::string archOpt = "-arch=" + arch;
  std::string includeOpt = "-I" + *include;
  // -default-device: device headers are all device code, including the
  // generic lambdas that pick a template instance at run time.
  const char *options[] = {"--std=c++17",      archOpt.c_str(),
                           includeOpt.c_str(), "--ptxas-options=-v",
                           "-lineinfo",        "-default-device"};
  r = api.nvrtcCompileProgram(prog, int(sizeof(options) / sizeof(options[0])),
                              options);
  size_t logSize = 0;
  api.nvrtcGetProgramLogSize(prog, &logSize);
  std::string log(logSize, '\0');
  if (logSize)
    api.nvrtcGetProgramLog(prog, log.data());
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n'))
    log.pop_back();
  if (r != NVRTC_SUCCESS) {
    api.nvrtcDestroyProgram(&prog);
    return Error("NVRTC could not compile " + programName + " for " + arch +
                 " (" + api.nvrtcGetErrorString(r) + "):\n" + log);
  }
  NvrtcOutput out;
  size_t cubinSize = 0;
  r = api.nvrtcGetCUBINSize(prog, &cubinSize);
  if (r == NVRTC_SUCCESS) {
    out.cubin.resize(cubinSize);
    r = api.nvrtcGetCUBIN(prog, out.cubin.data());
  }
  api.nvrtcDestroyProgram(&prog);
  if (r != NVRTC_SUCCESS || out.cubin.empty())
    return Error("NVRTC produced no CUBIN for " + programName + " (arch " +
                 arch + " must be a real architecture such as sm_90)");
  out.log = log;
  out.registers = ptxasFigure(log, "Used ([0-9]+) registers");
  out.spillStores =
      std::max(0, ptxasFigure(log, "([0-9]+) bytes spill stores"));
  out.spillLoads = std::max(0, ptxasFigure(log, "([0-9]+) bytes spill loads"));
  return out;
}
