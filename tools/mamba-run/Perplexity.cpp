//===- Perplexity.cpp - mamba-run --perplexity ----------------------------===//
//
// THE DEFINITION (the PyTorch side, e.g. the training script's evaluation,
// must compute exactly this so that the numbers compare):
//
//   x_0 .. x_{T-1} = tokenizer.encode(text)     whole file, bytes as read,
//                                               add_special_tokens=True (the
//                                               post-processor; GPT-NeoX adds
//                                               nothing), T >= 2
//   z_t            = logits of position t, the model run over x_0 .. x_{T-2}
//                    as ONE sequence from a zero state (no BOS prepended, no
//                    windows, no resets)
//   V              = the tokenizer's vocabulary size (one more than its
//                    largest id), NOT the model's padded vocabulary: the
//                    padding rows of the embedding / lm_head are dropped
//                    before the softmax
//   nll_t          = logsumexp(z_{t-1}[0:V]) - z_{t-1}[x_t], in float64,
//                    for t = 1 .. T-1
//   mean NLL       = (sum of nll_t) / (T - 1)          (nats)
//   perplexity     = exp(mean NLL)
//
// In PyTorch:
//
//   ids = torch.tensor(tok.encode(text))              # (T,)
//   z = model(ids[None, :-1]).logits[0, :, :V].double()
//   nll = -z.log_softmax(-1).gather(-1, ids[1:, None]).squeeze(-1)
//   mean_nll = nll.mean(); ppl = mean_nll.exp()
//
// The runtime computes the logits in the model's dtype and hands them over
// as f32; only the log-softmax and the sums are in double. Long files are
// fed in pieces that carry the recurrent state (the same computation as one
// prefill; only the host copy of the logits is bounded).
//
//===----------------------------------------------------------------------===//

#include "Perplexity.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace mamba::run {

Result<PerplexityResult> computePerplexity(const std::shared_ptr<Model> &model,
                                           const std::vector<int32_t> &ids,
                                           int64_t vocab) {
  const int64_t T = int64_t(ids.size());
  if (T < 2)
    return Error("perplexity needs at least 2 tokens, got " +
                 std::to_string(T));
  if (vocab < 1 || vocab > model->vocabSize())
    return Error("perplexity over " + std::to_string(vocab) +
                 " vocabulary entries, but the model has " +
                 std::to_string(model->vocabSize()));
  Result<std::unique_ptr<Session>> session = Session::create(model, 1);
  if (!session.ok())
    return Error(session.error());

  // Pieces of at most 2^26 logits (256 MB of f32) on the host.
  const int64_t width = model->vocabSize();
  const int64_t piece = std::max<int64_t>(
      1, std::min<int64_t>(T - 1, (int64_t(1) << 26) / width));
  double sum = 0;
  for (int64_t start = 0; start < T - 1; start += piece) {
    int64_t len = std::min(piece, T - 1 - start);
    std::vector<int32_t> chunk(ids.begin() + start, ids.begin() + start + len);
    Result<Logits> logits = (*session)->prefill(chunk, len, true);
    if (!logits.ok())
      return Error(logits.error());
    for (int64_t p = 0; p < len; ++p) {
      const float *z = logits->row(0, p);
      int64_t t = start + p + 1; // the position this row predicts
      double m = -INFINITY;
      for (int64_t v = 0; v < vocab; ++v) {
        if (!std::isfinite(z[v]))
          return Error("the model produced a non-finite logit (" +
                       std::to_string(z[v]) + ") at position " +
                       std::to_string(t - 1) + ", vocabulary id " +
                       std::to_string(v));
        m = std::max(m, double(z[v]));
      }
      double s = 0;
      for (int64_t v = 0; v < vocab; ++v)
        s += std::exp(double(z[v]) - m);
      sum += m + std::log(s) - double(z[ids[t]]);
    }
  }
  PerplexityResult r;
  r.tokens = T;
  r.predicted = T - 1;
  r.meanNll = sum / double(T - 1);
  r.perplexity = std::exp(r.meanNll);
  return r;
}

int runPerplexity(const RunOptions &o, const std::string &modelDir,
                  const LoadedTokenizer &loaded) {
  Result<std::string> text = readFile(o.perplexityFile);
  if (!text.ok())
    return fail("--perplexity: " + text.error());
  std::vector<int32_t> ids = loaded.tokenizer.encode(*text);
  if (ids.size() < 2)
    return fail("--perplexity " + o.perplexityFile + " has " +
                std::to_string(ids.size()) +
                " tokens; perplexity needs at least 2");
  Result<std::shared_ptr<Model>> model = loadModel(o, modelDir);
  if (!model.ok())
    return fail(model.error());
  if (Status s = checkVocabularies(loaded, **model, modelDir); !s.ok())
    return fail(s.error());
  auto t0 = std::chrono::steady_clock::now();
  Result<PerplexityResult> r =
      computePerplexity(*model, ids, loaded.tokenizer.vocabSize());
  if (!r.ok())
    return fail(o.perplexityFile + ": " + r.error());
  double ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - t0)
                  .count();
  std::printf("tokens: %lld\npredicted: %lld\nmean NLL: %.6g\nperplexity: "
              "%.6g\n",
              (long long)r->tokens, (long long)r->predicted, r->meanNll,
              r->perplexity);
  std::fflush(stdout);
  std::fprintf(stderr,
               "[mamba-run] scored %lld tokens in %.1f ms (%.1f tokens/s), "
               "vocabulary %lld of %lld logits | %s %s\n",
               (long long)r->predicted, ms,
               ms > 0 ? double(r->predicted) / (ms / 1000.0) : 0.0,
               (long long)loaded.tokenizer.vocabSize(),
               (long long)(*model)->vocabSize(), deviceName((*model)->device()),
               dtypeName((*model)->dtype()));
  return 0;
}

} // namespace mamba::run
