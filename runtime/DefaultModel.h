//===- DefaultModel.h - where the model is when none is named ---*- C++ -*-===//
//
// Part of the public C++ API. Tools run without --model use $MAMBA_MODEL, or
// else the bundled demo model, found relative to the running executable so
// that a build tree, a copy of it and an installed tree all work:
//
//   EXE_DIR/../share/mamba-jit/models/demo   an installed tree (PREFIX/bin)
//   EXE_DIR/../../models/demo                build/bin in a source tree
//   LIB_DIR/../share/mamba-jit/models/demo   the installed tree of the
//                                            shared library (a program
//                                            linking MambaJIT::runtime)
//   SOURCE_DIR/models/demo                   only for an executable of the
//                                            build tree configured from it
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_DEFAULTMODEL_H
#define MAMBA_RUNTIME_DEFAULTMODEL_H

#include "runtime/Result.h"

#include <string>
#include <vector>

namespace mamba {

/// The running executable's path (from /proc/self/exe), or "" when unknown.
std::string executablePath();

/// The places the demo model is looked for, in order, for the running
/// executable.
std::vector<std::string> demoModelCandidates();

/// $MAMBA_MODEL when set (it must be a directory; $MAMBA_DEMO_MODEL is read
/// when it is not set), else the first of demoModelCandidates() that is a
/// directory. The error of a missing model lists every place looked and
/// says how to name one (`--model DIR`, in the words of a tool's flag).
Result<std::string> findDefaultModel(const std::string &flag = "--model DIR");

} // namespace mamba

#endif // MAMBA_RUNTIME_DEFAULTMODEL_H
