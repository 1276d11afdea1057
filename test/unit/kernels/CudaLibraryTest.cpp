//===- CudaLibraryTest.cpp - CUDA libraries opened at run time ------------===//
//
// NVRTC and cuBLASLt are opened with dlopen when first needed: a library that
// is missing gives an error naming it and every place looked, a symbol that
// is missing names the library and the symbol, and NVRTC (installed on the
// build machines) loads and reports its version. No GPU needed.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/CudaLibrary.h"
#include "runtime/cuda/Nvrtc.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cuda.h>

using namespace mamba;
using namespace mamba::cuda;

namespace {

::testing::AssertionResult contains(const std::string &text,
                                    const std::string &part) {
  if (text.find(part) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "'" << text << "' lacks '" << part << "'";
}

TEST(CudaLibrary, AMissingLibraryNamesItAndEveryPlaceLooked) {
  setenv("CUDA_HOME", "/opt/no-such-cuda", 1);
  Result<CudaLibrary> lib =
      openCudaLibrary("libmamba-no-such-library.so.7", "the Frobnicator");
  unsetenv("CUDA_HOME");
  ASSERT_FALSE(lib.ok());
  EXPECT_TRUE(contains(lib.error(),
                       "the Frobnicator (libmamba-no-such-library.so.7) is not "
                       "installed or not on the library path"));
  EXPECT_TRUE(contains(lib.error(), "LD_LIBRARY_PATH"));
  EXPECT_TRUE(
      contains(lib.error(), "/opt/no-such-cuda/lib64, /opt/no-such-cuda/lib"));
  EXPECT_TRUE(contains(lib.error(), "/usr/local/cuda/lib64"));
  EXPECT_TRUE(contains(lib.error(), "set CUDA_HOME"));
}

TEST(CudaLibrary, AMissingSymbolNamesTheLibraryAndTheSymbol) {
  std::string soname = "libnvrtc.so." + std::to_string(CUDA_VERSION / 1000);
  Result<CudaLibrary> lib = openCudaLibrary(soname, "NVRTC");
  ASSERT_TRUE(lib.ok()) << lib.error();
  void (*fn)() = nullptr;
  Status s = resolve(*lib, "nvrtcNoSuchFunction", fn);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(contains(s.error(), soname + " lacks nvrtcNoSuchFunction"));
  EXPECT_EQ(fn, nullptr);
  EXPECT_TRUE(resolve(*lib, "nvrtcVersion", fn).ok());
  EXPECT_NE(fn, nullptr);
}

TEST(CudaLibrary, NvrtcLoadsOnFirstUseAndReportsItsVersion) {
  Result<std::string> version = nvrtcVersionString();
  ASSERT_TRUE(version.ok()) << version.error();
  // The major version is the soname's; the minor may be newer than the
  // headers'.
  EXPECT_EQ(
      version->rfind("NVRTC " + std::to_string(CUDA_VERSION / 1000) + ".", 0),
      0u)
      << *version;
}

} // namespace
