//===- Version.h - what this build is and what it found ---------*- C++ -*-===//
//
// Part of the public C++ API. The tools' --version prints versionText():
// the git commit the build came from, the MLIR/LLVM it links, the CUDA
// toolkit it was compiled against, and what this machine has: the CUDA
// driver and NVRTC (both opened at run time; "not found" with the reason
// when they cannot be loaded).
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_VERSION_H
#define MAMBA_RUNTIME_VERSION_H

#include <string>

namespace mamba {

/// The commit of the source tree at build time ("d6d9c14a1b2c", with
/// "-dirty" for uncommitted changes; "unknown" outside git).
const char *buildCommit();

/// "TOOL (mamba-jit) COMMIT" and one line per component (no newline after
/// the last), e.g.
///   mamba-run (mamba-jit) d6d9c14a1b2c
///   MLIR/LLVM: 19.1.7
///   CUDA toolkit (compiled against): 13.0.88
///   CUDA driver: 13.0 (libcuda.so.1)          or "no CUDA driver (...)"
///   NVRTC: 13.0 (libnvrtc.so.13)              or "not found (...)"
std::string versionText(const std::string &tool);

} // namespace mamba

#endif // MAMBA_RUNTIME_VERSION_H
