//===- mamba-bench.cpp - benchmarks ----------------------------------------===//
//
//   mamba-bench kernels [--filter TEXT] [--json FILE] [--repeats N]
//
//===----------------------------------------------------------------------===//

#include "KernelBench.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Signals.h"

#include <CLI/CLI.hpp>

int main(int argc, char **argv) {
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  CLI::App app{"mamba-bench: speed of the generated kernels and of whole "
               "models on the GPU"};
  app.require_subcommand(1);

  mamba::KernelBenchOptions kernelOptions;
  CLI::App *kernels = app.add_subcommand(
      "kernels", "Time every kernel shape of targets.md against the copy roof "
                 "and mamba_ssm's figures");
  kernels->add_option("--filter", kernelOptions.filter,
                      "Only kernels whose name contains this text");
  kernels->add_option("--json", kernelOptions.jsonPath,
                      "Also write the results as JSON to this file");
  kernels->add_option("--repeats", kernelOptions.repeats,
                      "Timed graph replays per kernel (median reported)")
      ->check(CLI::Range(1, 100000));

  CLI11_PARSE(app, argc, argv);
  if (kernels->parsed())
    return mamba::runKernelBench(kernelOptions);
  return 0;
}
