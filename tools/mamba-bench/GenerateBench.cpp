//===- GenerateBench.cpp - `mamba-bench generate` -------------------------===//
//
// mamba_ssm's benchmarks/benchmark_generation_mamba_simple.py
// (mamba-reference.md section 4), on this runtime:
//  - the same options and defaults: prompt of --promptlen random ids in
//    [1, 1000) (capped at the vocabulary of a tiny test model) or --prompt
//    tokenized, --genlen 100, --batch 1, greedy (top-k 1), fp16 weights;
//  - one untimed warm-up generate call (it also captures the decode CUDA
//    graph, as cg=True does), then --repeats timed calls (3);
//  - a generate call is prefill of the prompt, then genlen rounds of host
//    sampling from the last logits, with genlen - 1 decode steps in between,
//    as the reference's decode(); EOS does not stop it (the reference passes
//    no eos_token_id), so every call makes exactly genlen tokens per row;
//  - host sampling each step is inside the measured loop, as in the
//    reference; its share is reported separately too.
// The reference prints only the mean wall time per generate call; this
// prints the median and the mean of that total, and splits it into the
// prefill time and the decode time per token.
//
// Differences: with --prompt the prompt is repeated --batch times (the
// reference ignores --batch then); the session's state is reset before
// each call outside the timed region (the reference's prefill overwrites
// its state); padded vocabulary ids can be sampled, as in the reference
// (no vocab_size is passed there either).
//
//===----------------------------------------------------------------------===//

#include "GenerateBench.h"

#include "runtime/Mamba.h"
#include "runtime/model/WeightStore.h"
#include "runtime/text/Sampling.h"
#include "runtime/text/Tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

using namespace mamba;

namespace {

using Clock = std::chrono::steady_clock;

int fail(const std::string &message) {
  std::fprintf(stderr, "mamba-bench: %s\n", message.c_str());
  return 1;
}

double msBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Summary {
  double median = 0, mean = 0, min = 0, max = 0;
  std::vector<double> all;
};

Summary summarize(std::vector<double> v) {
  Summary s;
  s.all = v;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / double(n);
  s.min = v.front();
  s.max = v.back();
  return s;
}

nlohmann::json toJson(const Summary &s) {
  return {{"median", s.median},
          {"mean", s.mean},
          {"min", s.min},
          {"max", s.max},
          {"all", s.all}};
}

/// One generate call's times, in ms.
struct CallTimes {
  double prefill = 0, decode = 0, total = 0, sampling = 0;
  /// The last logits had a NaN (checked after the timed region).
  bool nan = false;
};

/// prefill + genLen sampling rounds + genLen - 1 steps, from a zero state.
/// `tokens` receives the generated ids (batch x genLen).
Result<CallTimes> generateOnce(Session &session,
                               const std::vector<int32_t> &prompt,
                               int64_t batch, int64_t length, int64_t genLen,
                               const text::SamplingConfig &cfg,
                               std::vector<int32_t> &tokens) {
  MAMBA_TRY(session.reset());
  std::vector<text::Sampler> samplers;
  std::vector<std::vector<int32_t>> history(batch);
  for (int64_t b = 0; b < batch; ++b) {
    text::SamplingConfig row = cfg;
    row.seed = cfg.seed + uint64_t(b);
    Result<text::Sampler> s = text::Sampler::create(row);
    if (!s.ok())
      return Error(s.error());
    samplers.push_back(s.take());
    history[b].assign(prompt.begin() + b * length,
                      prompt.begin() + (b + 1) * length);
    history[b].reserve(size_t(length + genLen));
  }
  tokens.assign(size_t(batch * genLen), 0);
  std::vector<int32_t> next(batch);
  CallTimes t;

  if (cfg.isGreedy() && cfg.repetitionPenalty == 1.0f) {
    // Greedy: the argmax runs on the device and only the ids come back, as
    // the reference's generate does on the GPU.
    auto t0 = Clock::now();
    Result<std::vector<int32_t>> ids =
        session.prefillGreedy(prompt, length, cfg.vocabLimit);
    auto t1 = Clock::now();
    for (int64_t i = 0; ids.ok(); ++i) {
      for (int64_t b = 0; b < batch; ++b)
        tokens[b * genLen + i] = (*ids)[b];
      if (i + 1 == genLen)
        break;
      ids = session.stepGreedy(*ids, cfg.vocabLimit);
    }
    if (!ids.ok())
      return Error(ids.error());
    auto t2 = Clock::now();
    t.prefill = msBetween(t0, t1);
    t.decode = msBetween(t1, t2);
    t.total = msBetween(t0, t2);
    // The NaN check needs logits: one more step, outside the timed region.
    Result<Logits> logits = session.step(*ids);
    if (!logits.ok())
      return Error(logits.error());
    for (float v : logits->values)
      t.nan = t.nan || std::isnan(v);
    return t;
  }

  auto t0 = Clock::now();
  Result<Logits> logits = session.prefill(prompt, length);
  if (!logits.ok())
    return Error(logits.error());
  auto t1 = Clock::now();
  for (int64_t i = 0; i < genLen; ++i) {
    // Host sampling: at batch 64 with a 50k vocabulary that is 3.2M floats
    // per step on one core, on top of the download and f32 conversion of
    // the logits; the "host sampling" row shows how much.
    auto ts = Clock::now();
    for (int64_t b = 0; b < batch; ++b) {
      int32_t id =
          samplers[b].sample(logits->row(b), logits->vocab, history[b]);
      next[b] = id;
      history[b].push_back(id);
      tokens[b * genLen + i] = id;
    }
    t.sampling += msBetween(ts, Clock::now());
    if (i + 1 == genLen)
      break;
    logits = session.step(next);
    if (!logits.ok())
      return Error(logits.error());
  }
  auto t2 = Clock::now();
  t.prefill = msBetween(t0, t1);
  t.decode = msBetween(t1, t2);
  t.total = msBetween(t0, t2);
  for (float v : logits->values)
    t.nan = t.nan || std::isnan(v);
  return t;
}

/// Parameters, a tied lm_head counted once (as model.parameters() does).
int64_t parameterCount(const ModelConfig &cfg) {
  int64_t n = 0;
  for (const ExpectedTensor &e : expectedTensors(cfg)) {
    if (!e.tiedTo.empty())
      continue;
    int64_t k = 1;
    for (int64_t d : e.shape)
      k *= d;
    n += k;
  }
  return n;
}

std::string samplingText(const text::SamplingConfig &c) {
  if (c.isGreedy())
    return "greedy";
  char buf[160];
  std::snprintf(buf, sizeof(buf),
                "temperature %g, top-k %d, top-p %g, min-p %g, penalty %g, "
                "seed %llu",
                c.temperature, c.topK, c.topP, c.minP, c.repetitionPenalty,
                (unsigned long long)c.seed);
  return buf;
}

} // namespace

int mamba::runGenerateBench(const GenerateBenchOptions &o) {
  int sources = int(!o.modelDir.empty()) + int(!o.randomModel.empty()) +
                int(!o.configPath.empty());
  if (sources != 1)
    return fail("give exactly one of --model DIR, --random-model NAME and "
                "--config FILE");
  if (o.promptLen < 1 || o.genLen < 1 || o.batch < 1 || o.repeats < 1)
    return fail("--promptlen, --genlen, --batch and --repeats must be >= 1");

  text::SamplingConfig sampling;
  sampling.temperature = o.temperature;
  sampling.topK = o.topK;
  sampling.topP = o.topP;
  sampling.minP = o.minP;
  sampling.repetitionPenalty = o.repetitionPenalty;
  sampling.seed = o.seed;
  if (Status s = sampling.validate(); !s.ok())
    return fail(s.error());

  LoadOptions load;
  load.device = o.device == "cpu"    ? Device::Cpu
                : o.device == "cuda" ? Device::Cuda
                                     : Device::Auto;
  std::optional<DType> dtype = parseFloatDType(o.dtype);
  if (!dtype)
    return fail("--dtype must be f32, f16 or bf16, not '" + o.dtype + "'");
  load.dtype = *dtype;
  load.jit.tuningDb = o.tuningDb;
  ProgressDisplay display("mamba-bench");
  if (!o.quiet) {
    load.progress = display.noteCallback();
    load.onProgress = display.callback();
  }

  // The prompt's ids, before anything is loaded.
  std::vector<int32_t> textIds;
  std::string tokPath = o.tokenizerPath;
  if (!o.prompt.empty()) {
    if (tokPath.empty()) {
      if (o.modelDir.empty())
        return fail("--prompt needs a tokenizer: pass --tokenizer FILE (or "
                    "use --promptlen N for random ids)");
      tokPath = o.modelDir + "/tokenizer.json";
      if (!std::ifstream(tokPath))
        return fail(o.modelDir +
                    " has no tokenizer.json; pass --tokenizer FILE");
    }
    Result<text::Tokenizer> tok = text::Tokenizer::fromFile(tokPath);
    if (!tok.ok())
      return fail(tok.error());
    textIds = tok->encode(o.prompt);
    if (textIds.empty())
      return fail("--prompt has no tokens");
  }

  // The model.
  std::string modelName;
  Result<std::shared_ptr<Model>> model = Error("no model");
  if (!o.modelDir.empty()) {
    modelName = o.modelDir;
    model = Model::load(o.modelDir, load);
  } else {
    Result<ModelConfig> cfg = Error("");
    if (!o.randomModel.empty()) {
      modelName = o.randomModel + " (random weights)";
      cfg = publishedModelConfig(o.randomModel);
    } else {
      modelName = o.configPath + " (random weights)";
      std::ifstream in(o.configPath);
      if (!in)
        return fail("cannot read --config " + o.configPath);
      std::ostringstream text;
      text << in.rdbuf();
      cfg = parseModelConfig(text.str(), o.configPath);
    }
    if (!cfg.ok())
      return fail(cfg.error());
    model = Model::random(*cfg, load, /*seed=*/1);
  }
  if (!model.ok())
    return fail(model.error());
  const ModelConfig &cfg = (*model)->config();

  // The prompt: batch x length ids.
  std::vector<int32_t> prompt;
  int64_t length = o.promptLen;
  if (!textIds.empty()) {
    for (int32_t id : textIds)
      if (id >= (*model)->vocabSize())
        return fail(tokPath + " gives id " + std::to_string(id) +
                    ", past the model's vocabulary of " +
                    std::to_string((*model)->vocabSize()));
    length = int64_t(textIds.size());
    for (int64_t b = 0; b < o.batch; ++b)
      prompt.insert(prompt.end(), textIds.begin(), textIds.end());
  } else {
    // torch.randint(1, 1000, (batch, promptlen)), seeded.
    int64_t hi = std::min<int64_t>(1000, (*model)->vocabSize());
    int64_t lo = hi > 1 ? 1 : 0;
    std::mt19937_64 rng(o.seed);
    prompt.resize(size_t(o.batch * length));
    for (int32_t &id : prompt)
      id = int32_t(lo + int64_t(rng() % uint64_t(hi - lo)));
  }

  SessionOptions sessionOptions;
  sessionOptions.cudaGraphs = o.cudaGraphs;
  Result<std::unique_ptr<Session>> session =
      Session::create(*model, o.batch, sessionOptions);
  if (!session.ok())
    return fail(session.error());

  std::vector<int32_t> warmTokens, tokens;
  Result<CallTimes> warm = generateOnce(**session, prompt, o.batch, length,
                                        o.genLen, sampling, warmTokens);
  if (!warm.ok())
    return fail(warm.error());
  std::vector<double> prefill, decodePerToken, total, samplingPerToken, tps;
  bool sameTokens = true, sawNan = warm->nan;
  for (int r = 0; r < o.repeats; ++r) {
    Result<CallTimes> t = generateOnce(**session, prompt, o.batch, length,
                                       o.genLen, sampling, tokens);
    if (!t.ok())
      return fail(t.error());
    sameTokens = sameTokens && tokens == warmTokens;
    sawNan = sawNan || t->nan;
    prefill.push_back(t->prefill);
    decodePerToken.push_back(t->decode / double(o.genLen));
    total.push_back(t->total);
    samplingPerToken.push_back(t->sampling / double(o.genLen));
    tps.push_back(double(o.batch * o.genLen) / (t->decode / 1000.0));
  }
  Summary sPrefill = summarize(prefill), sDecode = summarize(decodePerToken),
          sTotal = summarize(total), sSampling = summarize(samplingPerToken),
          sTps = summarize(tps);

  int64_t params = parameterCount(cfg);
  std::printf("mamba-bench generate: %s\n  %s\n", modelName.c_str(),
              (*model)->describe().c_str());
  char paramText[32];
  if (params >= 1000000)
    std::snprintf(paramText, sizeof(paramText), "%.2fM", double(params) / 1e6);
  else
    std::snprintf(paramText, sizeof(paramText), "%lld", (long long)params);
  std::printf("  %s parameters | batch %lld | prompt %lld | genlen %lld | "
              "%s | %s | %d timed run%s after 1 warm-up\n",
              paramText, (long long)o.batch, (long long)length,
              (long long)o.genLen, samplingText(sampling).c_str(),
              (*model)->device() == Device::Cuda
                  ? (o.cudaGraphs ? "CUDA graphs" : "no CUDA graphs")
                  : "CPU",
              o.repeats, o.repeats == 1 ? "" : "s");
  std::printf("  %-28s %12s %12s %12s %12s\n", "", "median", "mean", "min",
              "max");
  auto row = [](const char *name, const Summary &s) {
    std::printf("  %-28s %12.3f %12.3f %12.3f %12.3f\n", name, s.median, s.mean,
                s.min, s.max);
  };
  row("prefill (ms)", sPrefill);
  row("decode (ms/token)", sDecode);
  row("  host sampling (ms/token)", sSampling);
  row("decode (tokens/s, all rows)", sTps);
  row("generate total (ms)", sTotal);
  std::printf("  peak memory: %.1f MiB (weights + activation pool); load "
              "%.2f s, kernels %.2f s\n",
              double((*model)->memoryBytes()) / (1 << 20),
              (*model)->loadSeconds(), (*model)->compileSeconds());
  if (sawNan)
    std::printf("  warning: the model produced NaN logits; the tokens are "
                "meaningless (the times still hold)\n");
  if (!sameTokens)
    std::printf("  note: the timed runs generated different tokens from the "
                "warm-up\n");
  std::fflush(stdout);

  if (!o.jsonPath.empty()) {
    nlohmann::json j = {
        {"benchmark", "generate"},
        {"model", modelName},
        {"describe", (*model)->describe()},
        {"arch", archName(cfg.arch)},
        {"device", deviceName((*model)->device())},
        {"dtype", dtypeName((*model)->dtype())},
        {"parameters", params},
        {"batch", o.batch},
        {"promptlen", length},
        {"genlen", o.genLen},
        {"repeats", o.repeats},
        {"cuda_graphs", (*model)->device() == Device::Cuda && o.cudaGraphs},
        {"sampling",
         {{"greedy", sampling.isGreedy()},
          {"temperature", sampling.temperature},
          {"top_k", sampling.topK},
          {"top_p", sampling.topP},
          {"min_p", sampling.minP},
          {"repetition_penalty", sampling.repetitionPenalty},
          {"seed", sampling.seed}}},
        {"prefill_ms", toJson(sPrefill)},
        {"decode_ms_per_token", toJson(sDecode)},
        {"host_sampling_ms_per_token", toJson(sSampling)},
        {"decode_tokens_per_s", toJson(sTps)},
        {"total_ms", toJson(sTotal)},
        {"load_s", (*model)->loadSeconds()},
        {"compile_s", (*model)->compileSeconds()},
        {"peak_memory_bytes", (*model)->memoryBytes()},
        {"deterministic", sameTokens},
        {"nan_logits", sawNan},
    };
    std::ofstream out(o.jsonPath);
    out << j.dump(2) << "\n";
    if (!out)
      return fail("cannot write " + o.jsonPath);
  }
  return 0;
}
