//===- mamba-run.cpp - run a Mamba model ----------------------------------===//
//
//   mamba-run --model DIR --input-ids IDS.npy --logits-out OUT.npy
//             [--device auto|cuda|cpu] [--dtype f32|f16|bf16]
//   mamba-run --model DIR --emit=mlir|tiled|cuda
//
//===----------------------------------------------------------------------===//

#include "runtime/model/Npy.h"

#include "runtime/Mamba.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Signals.h"

#include <CLI/CLI.hpp>

#include <cstdio>

using namespace mamba;

namespace {

struct Options {
  std::string model;
  std::string inputIds, logitsOut;
  std::string device = "auto";
  std::string dtype;
  std::string emit;
  std::string arch = "sm_90";
  bool quiet = false;
};

int fail(const std::string &message) {
  std::fprintf(stderr, "mamba-run: %s\n", message.c_str());
  return 1;
}

Result<std::shared_ptr<Model>> loadModel(const Options &o) {
  LoadOptions load;
  load.device = o.device == "cpu"    ? Device::Cpu
                : o.device == "cuda" ? Device::Cuda
                                     : Device::Auto;
  if (!o.dtype.empty())
    load.dtype = parseFloatDType(o.dtype);
  if (!o.quiet)
    load.progress = [](const std::string &line) {
      std::fprintf(stderr, "[mamba-run] %s\n", line.c_str());
    };
  return Model::load(o.model, load);
}

/// Logits of every position for every prompt of IDS.npy.
int runLogits(const Options &o) {
  Result<NpyInts> ids = readNpyInts(o.inputIds);
  if (!ids.ok())
    return fail(ids.error());
  if (ids->shape.size() != 2 || ids->shape[0] < 1 || ids->shape[1] < 1)
    return fail(o.inputIds + ": token ids must have shape [batch, length] with "
                             "both >= 1");
  Result<std::shared_ptr<Model>> model = loadModel(o);
  if (!model.ok())
    return fail(model.error());
  int64_t batch = ids->shape[0], length = ids->shape[1];
  std::vector<int32_t> tokens(ids->values.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    int64_t v = ids->values[i];
    if (v < 0 || v >= (*model)->vocabSize())
      return fail(o.inputIds + ": token id " + std::to_string(v) +
                  " at index " + std::to_string(i) +
                  " is outside the vocabulary [0, " +
                  std::to_string((*model)->vocabSize()) + ")");
    tokens[i] = int32_t(v);
  }
  Result<std::unique_ptr<Session>> session = Session::create(*model, batch);
  if (!session.ok())
    return fail(session.error());
  Result<Logits> logits = (*session)->prefill(tokens, length, true);
  if (!logits.ok())
    return fail(logits.error());
  Status s = writeNpyFloats(o.logitsOut, {batch, length, logits->vocab},
                            logits->values.data());
  if (!s.ok())
    return fail(s.error());
  if (!o.quiet)
    std::fprintf(stderr, "[mamba-run] wrote %s: float32 [%lld, %lld, %lld] (%s)\n",
                 o.logitsOut.c_str(), (long long)batch, (long long)length,
                 (long long)logits->vocab, (*model)->describe().c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  CLI::App app{"mamba-run: run Mamba-1 and Mamba-2 language models"};
  Options o;
  app.add_option("--model", o.model,
                 "Checkpoint directory (config.json and weights)")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--input-ids", o.inputIds,
                 "Token ids as .npy (int32 or int64, shape [batch, length])")
      ->check(CLI::ExistingFile);
  app.add_option("--logits-out", o.logitsOut,
                 "Write float32 logits [batch, length, vocab] here as .npy");
  app.add_option("--device", o.device, "auto, cuda or cpu")
      ->check(CLI::IsMember({"auto", "cuda", "cpu"}));
  app.add_option("--dtype", o.dtype,
                 "Weights and activations: f32, f16 or bf16 (default: bf16 on "
                 "CUDA, f32 on the CPU)")
      ->check(CLI::IsMember({"f32", "f16", "bf16", "float32", "float16",
                             "bfloat16"}));
  app.add_option("--emit", o.emit,
                 "Print a compilation stage instead of running: mlir (as "
                 "built), tiled (after mamba-to-cuda) or cuda (the kernels)")
      ->check(CLI::IsMember({"mlir", "tiled", "cuda"}));
  app.add_option("--arch", o.arch, "GPU architecture for --emit")
      ->check(CLI::IsMember({"sm_80", "sm_86", "sm_87", "sm_89", "sm_90"}));
  app.add_flag("-q,--quiet", o.quiet, "No progress messages");
  CLI11_PARSE(app, argc, argv);

  if (!o.emit.empty()) {
    EmitStage stage = o.emit == "mlir"    ? EmitStage::Mlir
                      : o.emit == "tiled" ? EmitStage::Tiled
                                          : EmitStage::Cuda;
    DType dtype = o.dtype.empty() ? DType::BF16 : *parseFloatDType(o.dtype);
    Result<std::string> text = emitModel(o.model, stage, dtype, o.arch);
    if (!text.ok())
      return fail(text.error());
    std::fputs(text->c_str(), stdout);
    return 0;
  }
  if (!o.inputIds.empty() || !o.logitsOut.empty()) {
    if (o.inputIds.empty() || o.logitsOut.empty())
      return fail("--input-ids and --logits-out go together");
    return runLogits(o);
  }
  return fail("nothing to do: give --input-ids IDS.npy --logits-out OUT.npy, "
              "or --emit=mlir|tiled|cuda");
}
