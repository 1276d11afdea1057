// Uses every public header of an installed mamba-jit: finds the installed
// demo model, generates greedily on the CPU, and builds and runs one op on
// the CPU reference kernels.
#include "codegen/device/Params.h"
#include "frontend/OpSpecs.h"
#include "runtime/DType.h"
#include "runtime/DefaultModel.h"
#include "runtime/Gpu.h"
#include "runtime/Jit.h"
#include "runtime/Mamba.h"
#include "runtime/Progress.h"
#include "runtime/Result.h"
#include "runtime/Version.h"
#include "runtime/cpu/CpuKernels.h"
#include "runtime/model/ModelConfig.h"
#include "runtime/text/Sampling.h"
#include "runtime/text/Tokenizer.h"

#include <cstdio>
#include <string>
#include <vector>

using namespace mamba;

static int fail(const std::string &message) {
  std::fprintf(stderr, "consumer: %s\n", message.c_str());
  return 1;
}

int main(int argc, char **argv) {
  std::string version = versionText("consumer");
  std::printf("version: %s\n", version.substr(0, version.find('\n')).c_str());

  Result<std::string> dir = findDefaultModel();
  if (!dir)
    return fail(dir.error());
  std::printf("model: %s\n", dir->c_str());

  ProgressDisplay display("consumer"); // stderr is not a terminal: quiet
  LoadOptions options;
  options.device = Device::Cpu;
  options.onProgress = display.callback();
  Result<std::shared_ptr<Model>> model = Model::load(*dir, options);
  if (!model)
    return fail(model.error());
  Result<text::Tokenizer> tokenizer =
      text::Tokenizer::fromFile(*dir + "/tokenizer.json");
  if (!tokenizer)
    return fail(tokenizer.error());
  Result<std::unique_ptr<Session>> session = Session::create(*model, 1);
  if (!session)
    return fail(session.error());
  std::vector<int32_t> ids = tokenizer->encode(argc > 1 ? argv[1] : "Amen");
  int64_t vocab = tokenizer->vocabSize();
  Result<std::vector<int32_t>> next =
      (*session)->prefillGreedy(ids, int64_t(ids.size()), vocab);
  for (int i = 0; i < 20 && next && (*next)[0] != tokenizer->eosId(); ++i) {
    ids.push_back((*next)[0]);
    next = (*session)->stepGreedy({ids.back()}, vocab);
  }
  if (!next)
    return fail(next.error());
  std::printf("text: %s\n", tokenizer->decode(ids).c_str());

  // One rms_norm on the CPU kernels: y = x / rms(x) * w over a row of 4.
  float x[4] = {1, 2, 3, 4}, w[4] = {0.5f, 1, 1.5f, 2}, y[4];
  cpu::RmsNormArgs norm;
  norm.rows = 1;
  norm.cols = 4;
  norm.x = cpu::View(x, 4, 1);
  norm.weight = cpu::View(w, 1);
  norm.y = cpu::View(y, 4, 1);
  cpu::rmsNorm(norm);
  std::printf("rms_norm: %.5f %.5f %.5f %.5f\n", y[0], y[1], y[2], y[3]);
  RmsNormSpec spec;
  std::string mlir = toMlir(spec);
  std::printf("op: %s\n", mlir.substr(0, mlir.find('(')).c_str());
  return 0;
}
