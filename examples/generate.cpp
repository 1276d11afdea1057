// Generates text with a Mamba model through the public C++ API.
//   generate [MODEL_DIR] [PROMPT]    (default: $MAMBA_MODEL or the demo model)
#include "runtime/DefaultModel.h"
#include "runtime/Mamba.h"
#include "runtime/text/Sampling.h"
#include "runtime/text/Tokenizer.h"

#include <cstdio>

using namespace mamba;

static int fail(const std::string &message) {
  std::fprintf(stderr, "generate: %s\n", message.c_str());
  return 1;
}

int main(int argc, char **argv) {
  Result<std::string> dir =
      argc > 1 ? Result<std::string>(argv[1])
               : findDefaultModel("MODEL_DIR as the first argument");
  if (!dir)
    return fail(dir.error());
  auto model = Model::load(*dir, LoadOptions());
  if (!model)
    return fail(model.error());
  auto tokenizer = text::Tokenizer::fromFile(*dir + "/tokenizer.json");
  if (!tokenizer)
    return fail(tokenizer.error());
  auto session = Session::create(*model, /*batch=*/1);
  if (!session)
    return fail(session.error());
  text::SamplingConfig sampling;
  sampling.temperature = 0.8f;
  sampling.topP = 0.95f;
  sampling.repetitionPenalty = 1.1f;
  sampling.seed = 7;
  auto sampler = text::Sampler::create(sampling);
  if (!sampler)
    return fail(sampler.error());

  std::vector<int32_t> ids =
      tokenizer->encode(argc > 2 ? argv[2] : "In the beginning");
  Result<Logits> logits = (*session)->prefill(ids, int64_t(ids.size()));
  for (int i = 0; i < 40 && logits; ++i) {
    int32_t next = sampler->sample(logits->row(0), tokenizer->vocabSize(), ids);
    if (next == tokenizer->eosId())
      break;
    ids.push_back(next);
    logits = (*session)->step({next});
  }
  if (!logits)
    return fail(logits.error());
  std::printf("%s\n", tokenizer->decode(ids).c_str());
  return 0;
}
