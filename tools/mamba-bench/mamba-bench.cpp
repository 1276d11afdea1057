//===- mamba-bench.cpp - benchmarks ---------------------------------------===//
//
//   mamba-bench kernels [--filter TEXT] [--tile TILE]... [--json FILE]
//                       [--repeats N]
//   mamba-bench generate (--model DIR | --random-model NAME | --config FILE)
//                        [--prompt TEXT | --promptlen N] [--genlen N]
//                        [--batch N] [sampling flags] [--repeats N]
//                        [--device auto|cuda|cpu] [--dtype] [--json FILE]
//
//===----------------------------------------------------------------------===//

#include "GenerateBench.h"
#include "KernelBench.h"

#include "runtime/Version.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Signals.h"

#include <CLI/CLI.hpp>

int main(int argc, char **argv) {
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  CLI::App app{"mamba-bench: speed of the generated kernels (GPU) and of "
               "whole-model generation (GPU or CPU)"};
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       [] { return mamba::versionText("mamba-bench"); });

  mamba::KernelBenchOptions kernelOptions;
  CLI::App *kernels = app.add_subcommand(
      "kernels", "Time every kernel shape of targets.md against the copy roof "
                 "and mamba_ssm's figures");
  kernels->add_option("--filter", kernelOptions.filter,
                      "Only kernels whose name contains this text");
  kernels->add_option("--json", kernelOptions.jsonPath,
                      "Also write the results as JSON to this file");
  kernels->add_option(
      "--tile", kernelOptions.tiles,
      "Run the selected kernels with this tile instead of their own: the "
      "whole #mamba.tile parameter list, e.g. \"chunk = 64, p_tile = 32, "
      "warps = 8, stages = 2, segments = 1\" (repeat the option to compare "
      "tiles)");
  kernels
      ->add_option("--repeats", kernelOptions.repeats,
                   "Timed graph replays per kernel (median reported)")
      ->check(CLI::Range(1, 100000));

  mamba::GenerateBenchOptions gen;
  CLI::App *generate = app.add_subcommand(
      "generate",
      "Time generation like mamba_ssm's "
      "benchmarks/benchmark_generation_mamba_simple.py: prefill time, decode "
      "time per token and the total per generate call (median and mean)");
  generate->add_option("--model", gen.modelDir, "Checkpoint directory")
      ->type_name("DIR");
  generate
      ->add_option("--random-model", gen.randomModel,
                   "Random weights in a published shape: mamba-130m, "
                   "mamba-370m, mamba-790m, mamba-1.4b, mamba-2.8b, "
                   "mamba2-130m, mamba2-370m, mamba2-780m, mamba2-1.3b, "
                   "mamba2-2.7b")
      ->type_name("NAME");
  generate
      ->add_option("--config", gen.configPath,
                   "Random weights in the shape of this config.json (any "
                   "size; used by the tests)")
      ->type_name("FILE");
  generate
      ->add_option("--tokenizer", gen.tokenizerPath,
                   "tokenizer.json for --prompt (default DIR/tokenizer.json)")
      ->type_name("FILE");
  generate->add_option("--prompt", gen.prompt,
                       "Prompt text, repeated --batch times (default: "
                       "--promptlen random ids in [1, 1000))");
  generate->add_option("--promptlen", gen.promptLen,
                       "Random prompt length (default 100)");
  generate->add_option("--genlen", gen.genLen,
                       "Tokens generated per call (default 100)");
  generate->add_option("--batch", gen.batch, "Sequences (default 1)");
  generate->add_option("--temperature", gen.temperature, "Default 1");
  generate->add_option("--top-k,--topk", gen.topK, "Default 1: greedy");
  generate->add_option("--top-p,--topp", gen.topP, "Default 1: off");
  generate->add_option("--min-p,--minp", gen.minP,
                       "Default 0: off (relative to the most likely token, "
                       "not the reference's logits[0, 0])");
  generate->add_option("--repetition-penalty", gen.repetitionPenalty,
                       "Default 1: off");
  generate->add_option("--seed", gen.seed,
                       "Seed of the random prompt and of the sampler "
                       "(default 0)");
  generate->add_option("--repeats", gen.repeats,
                       "Timed generate calls after one warm-up (default 3)");
  generate->add_option("--device", gen.device, "auto, cuda or cpu")
      ->check(CLI::IsMember({"auto", "cuda", "cpu"}));
  generate->add_option(
      "--tuning-db", gen.tuningDb,
      "Tuning database (default: $MAMBA_TUNING_DB, the cache's, "
      "else the shipped one; off: none)");
  generate
      ->add_option("--dtype", gen.dtype,
                   "f32, f16 or bf16 (default f16, as the reference)")
      ->check(CLI::IsMember(
          {"f32", "f16", "bf16", "float32", "float16", "bfloat16"}));
  bool noCudaGraphs = false;
  generate->add_flag("--no-cuda-graphs", noCudaGraphs,
                     "Run decode steps eagerly instead of replaying a CUDA "
                     "graph");
  generate
      ->add_option("--json", gen.jsonPath,
                   "Also write the results as JSON to this file")
      ->type_name("FILE");
  generate->add_flag("-q,--quiet", gen.quiet, "No progress messages");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    std::fprintf(stderr, "mamba-bench: %s (see --help)\n", e.what());
    return 1;
  }
  if (kernels->parsed())
    return mamba::runKernelBench(kernelOptions);
  if (generate->parsed()) {
    gen.cudaGraphs = !noCudaGraphs;
    return mamba::runGenerateBench(gen);
  }
  return 0;
}
