//===- Sampling.h - next-token sampling from logits -------------*- C++ -*-===//
//
// Follows mamba_ssm's utils/generation.py (`sample` and
// `modify_logit_for_repetition_penalty`), with one deliberate difference:
// min-p. Per row of logits, in this order:
//
//  1. Repetition penalty. Every distinct id of the history (prompt and
//     generated ids) has its logit multiplied by the penalty when it is
//     negative and divided by it otherwise. The reference gathers the logits
//     of all history ids and scatters the penalized values back, so an id
//     that occurs many times is still penalized once.
//  2. Greedy: when temperature == 0 or topK == 1, the argmax (the lowest id
//     among equal maxima). The reference's topK == 1 ignores temperature and
//     top-p the same way.
//  3. Top-k: keep the k largest logits (ties broken towards the lower id).
//  4. Temperature: divide the logits by it.
//  5. Top-p, when 0 < topP < 1: sort the kept tokens by ascending probability
//     and drop every token whose cumulative probability is <= 1 - topP; the
//     most likely token always stays. This is the reference's rule.
//  6. Min-p, when minP > 0: keep the tokens whose probability is at least
//     minP times the largest probability of this row. The reference instead
//     compares the logits with minP * logits[0, 0], the raw logit of id 0 of
//     the first row (a bug that also makes it batch-1 only). It also skips
//     min-p when topK > 0 and top-p when min-p is on; here all stages
//     compose. Neither difference is copied.
//  7. Softmax over what is left, and one draw.
//
// Probabilities and sums are computed in double. Ids at or past `vocabLimit`
// are never drawn (a checkpoint pads its vocabulary to a multiple of 8 or
// more, and those rows mean nothing). NaN logits count as -inf; +inf logits,
// if any, share all the probability equally; a row that is all -inf yields
// id 0.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_TEXT_SAMPLING_H
#define MAMBA_RUNTIME_TEXT_SAMPLING_H

#include "runtime/Result.h"

#include <cstdint>
#include <random>
#include <vector>

namespace mamba::text {

struct SamplingConfig {
  /// 0 means greedy.
  float temperature = 1.0f;
  /// 0 disables top-k; 1 means greedy.
  int32_t topK = 0;
  /// 1 (or 0, as in the reference) disables top-p.
  float topP = 1.0f;
  /// 0 disables min-p.
  float minP = 0.0f;
  /// 1 disables the penalty.
  float repetitionPenalty = 1.0f;
  uint64_t seed = 0;
  /// Only ids below this are drawn; 0 means every id of the row.
  int64_t vocabLimit = 0;

  bool isGreedy() const { return temperature == 0.0f || topK == 1; }
  /// Fails on a negative, NaN or infinite temperature, topK < 0, topP or
  /// minP outside [0, 1], a penalty that is not a positive finite number, or
  /// vocabLimit < 0.
  Status validate() const;
};

class Sampler {
public:
  static Result<Sampler> create(const SamplingConfig &config);

  /// Draws one id from the row `logits[0, vocab)` (vocab >= 1). `history`
  /// holds the ids the repetition penalty applies to; ids outside the row
  /// are ignored.
  int32_t sample(const float *logits, int64_t vocab,
                 const std::vector<int32_t> &history);

  const SamplingConfig &config() const { return config_; }

private:
  /// A token still in the running; `weight` is its probability relative to
  /// the most likely one.
  struct Candidate {
    float logit;
    int32_t id;
    double weight;
  };

  explicit Sampler(const SamplingConfig &config)
      : config_(config), rng_(config.seed) {}

  /// A uniform double in [0, 1) from the top 53 bits of one engine output.
  /// std::mt19937_64's output sequence is fixed by the C++ standard, but the
  /// standard distributions are not, so they are not used.
  double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  /// Larger logit first, lower id first among equals: a strict total order,
  /// so no result depends on how a sort breaks ties.
  static bool ranksBefore(const Candidate &a, const Candidate &b) {
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
  }
  /// The k-th largest of `logits_` (0 < k < its size).
  float kthLargest(int32_t k);
  /// Applies top-p to `candidates_`, whose weights sum to `total`.
  void dropTopPTail(double total);

  SamplingConfig config_;
  std::mt19937_64 rng_;
  /// Scratch space reused across calls.
  std::vector<float> logits_;
  std::vector<uint8_t> penalized_;
  std::vector<Candidate> candidates_;
  std::vector<float> kthScratch_;
};

} // namespace mamba::text

#endif // MAMBA_RUNTIME_TEXT_SAMPLING_H
