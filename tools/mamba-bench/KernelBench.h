//===- KernelBench.h - `mamba-bench kernels` --------------------*- C++ -*-===//
#ifndef MAMBA_TOOLS_KERNELBENCH_H
#define MAMBA_TOOLS_KERNELBENCH_H

#include "runtime/Jit.h"

#include <string>
#include <vector>

namespace mamba {

struct KernelBenchOptions {
  std::string filter;   // run only kernels whose name contains this
  std::string jsonPath; // also write results as JSON here
  int repeats = 50;     // timed graph replays per kernel
  /// Run each selected kernel with these tiles (full #mamba.tile parameter
  /// lists) instead of its own.
  std::vector<std::string> tiles;
};

/// Runs the kernel table of targets.md; returns the process exit code.
int runKernelBench(const KernelBenchOptions &options);

} // namespace mamba

#endif // MAMBA_TOOLS_KERNELBENCH_H
