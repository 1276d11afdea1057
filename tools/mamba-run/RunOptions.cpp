//===- RunOptions.cpp - mamba-run's shared helpers ------------------------===//

#include "RunOptions.h"

#include "runtime/DefaultModel.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

// mamba-server builds this file too, under its own name.
#ifndef MAMBA_TOOL_NAME
#define MAMBA_TOOL_NAME "mamba-run"
#endif

namespace mamba::run {

int fail(const std::string &message) {
  std::fprintf(stderr, MAMBA_TOOL_NAME ": %s\n", message.c_str());
  return 1;
}

/// The progress bar (on a terminal) and the message lines of this run.
static ProgressDisplay &display() {
  static ProgressDisplay d(MAMBA_TOOL_NAME);
  return d;
}

void note(const RunOptions &o, const std::string &line) {
  if (!o.quiet)
    display().note(line);
}

Result<std::string> modelSource(const RunOptions &o, bool needsTokenizer) {
  if (o.randomModel.empty())
    return findModelDir(o);
  if (!o.model.empty())
    return Error("give --model DIR or --random-model NAME, not both");
  if (needsTokenizer && o.tokenizer.empty())
    return Error("--random-model has no tokenizer.json; pass --tokenizer "
                 "FILE (any byte-level BPE tokenizer.json with at most the "
                 "model's vocabulary)");
  return "random " + o.randomModel;
}

Result<std::string> findModelDir(const RunOptions &o) {
  if (!o.model.empty()) {
    if (!llvm::sys::fs::exists(o.model))
      return Error("model directory '" + o.model +
                   "' does not exist; pass --model DIR with a checkpoint "
                   "directory (config.json and weights)");
    if (!llvm::sys::fs::is_directory(o.model))
      return Error("--model " + o.model +
                   " is not a directory; pass the checkpoint directory that "
                   "holds config.json and the weights");
    return o.model;
  }
  return findDefaultModel("--model DIR");
}

Result<LoadedTokenizer> loadTokenizer(const RunOptions &o,
                                      const std::string &modelDir) {
  std::string path = o.tokenizer;
  if (path.empty()) {
    llvm::SmallString<256> p(modelDir);
    llvm::sys::path::append(p, "tokenizer.json");
    path = std::string(p);
    if (!llvm::sys::fs::exists(path))
      return Error(modelDir + " has no tokenizer.json; pass --tokenizer FILE");
  } else if (!llvm::sys::fs::exists(path)) {
    return Error("--tokenizer " + path + " does not exist");
  }
  Result<text::Tokenizer> t = text::Tokenizer::fromFile(path);
  if (!t.ok())
    return Error(t.error());
  return LoadedTokenizer{t.take(), path};
}

LoadOptions loadOptions(const RunOptions &o) {
  LoadOptions load;
  load.device = o.device == "cpu"    ? Device::Cpu
                : o.device == "cuda" ? Device::Cuda
                                     : Device::Auto;
  if (!o.dtype.empty())
    load.dtype = parseFloatDType(o.dtype);
  load.jit.tuningDb = o.tuningDb;
  if (!o.quiet) {
    load.progress = display().noteCallback();
    load.onProgress = display().callback();
  }
  return load;
}

SessionOptions sessionOptions(const RunOptions &o) {
  SessionOptions s;
  s.maxPromptTokens = o.maxPromptTokens;
  return s;
}

Result<std::shared_ptr<Model>> loadModel(const RunOptions &o,
                                         const std::string &dir) {
  Result<std::shared_ptr<Model>> model = Error("no model");
  if (!o.randomModel.empty()) {
    Result<ModelConfig> cfg = publishedModelConfig(o.randomModel);
    if (!cfg.ok())
      return Error("--random-model: " + cfg.error());
    model = Model::random(*cfg, loadOptions(o), /*seed=*/1);
  } else {
    model = Model::load(dir, loadOptions(o));
  }
  if (!model.ok())
    return model;
  char line[256];
  std::snprintf(line, sizeof(line), "loaded in %.2f s (kernels %.2f s): %s",
                (*model)->loadSeconds(), (*model)->compileSeconds(),
                (*model)->describe().c_str());
  note(o, line);
  return model;
}

Status checkVocabularies(const LoadedTokenizer &tokenizer, const Model &model,
                         const std::string &modelDir) {
  int64_t tv = tokenizer.tokenizer.vocabSize(), mv = model.vocabSize();
  if (tv > mv)
    return Error(tokenizer.path + " has " + std::to_string(tv) +
                 " tokens but the model in " + modelDir + " has only " +
                 std::to_string(mv) +
                 " vocabulary rows; the tokenizer does not belong to this "
                 "model (pass the right one with --tokenizer FILE)");
  return Status::success();
}

Result<std::string> readFile(const std::string &path) {
  if (llvm::sys::fs::is_directory(path))
    return Error(path + " is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad())
    return Error("cannot read " + path);
  return s.str();
}

} // namespace mamba::run
