//===- Sampling.cpp - next-token sampling from logits ---------------------===//

#include "runtime/text/Sampling.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace mamba::text {

Status SamplingConfig::validate() const {
  auto fail = [](const std::string &what, double value) {
    return Error("sampling: " + what + " (got " + std::to_string(value) + ")");
  };
  if (!(std::isfinite(temperature) && temperature >= 0.0f))
    return fail("temperature must be a finite number >= 0", temperature);
  if (topK < 0)
    return fail("top-k must be >= 0", topK);
  if (!(topP >= 0.0f && topP <= 1.0f))
    return fail("top-p must be in [0, 1]", topP);
  if (!(minP >= 0.0f && minP <= 1.0f))
    return fail("min-p must be in [0, 1]", minP);
  if (!(std::isfinite(repetitionPenalty) && repetitionPenalty > 0.0f))
    return fail("the repetition penalty must be a finite number > 0",
                repetitionPenalty);
  if (vocabLimit < 0)
    return fail("the vocabulary limit must be >= 0",
                static_cast<double>(vocabLimit));
  return Status::success();
}

Result<Sampler> Sampler::create(const SamplingConfig &config) {
  MAMBA_TRY(config.validate());
  return Sampler(config);
}

int32_t Sampler::sample(const float *logits, int64_t vocab,
                        const std::vector<int32_t> &history) {
  const float negInf = -std::numeric_limits<float>::infinity();
  int64_t n = vocab;
  if (config_.vocabLimit > 0)
    n = std::min(n, config_.vocabLimit);
  if (n <= 0)
    return 0;

  logits_.assign(logits, logits + n);
  for (float &value : logits_)
    if (std::isnan(value))
      value = negInf;

  if (config_.repetitionPenalty != 1.0f) {
    penalized_.assign(static_cast<size_t>(n), 0);
    for (int32_t id : history) {
      if (id < 0 || id >= n || penalized_[id])
        continue;
      penalized_[id] = 1;
      float &value = logits_[id];
      value = value < 0.0f ? value * config_.repetitionPenalty
                           : value / config_.repetitionPenalty;
    }
  }

  if (config_.isGreedy())
    return static_cast<int32_t>(
        std::max_element(logits_.begin(), logits_.end()) - logits_.begin());

  // Top-k keeps the logits above the k-th largest, then those equal to it in
  // id order until k are kept.
  float threshold = negInf;
  int64_t equalsAllowed = n;
  if (config_.topK > 0 && config_.topK < n) {
    threshold = kthLargest(config_.topK);
    equalsAllowed =
        config_.topK - std::count_if(logits_.begin(), logits_.end(),
                                     [&](float v) { return v > threshold; });
  }
  candidates_.clear();
  Candidate best{negInf, 0, 0.0};
  for (int32_t id = 0; id < n; ++id) {
    float value = logits_[id];
    if (value == negInf || value < threshold)
      continue;
    if (value == threshold && equalsAllowed-- <= 0)
      continue;
    candidates_.push_back({value, id, 0.0});
    if (value > best.logit)
      best = candidates_.back();
  }
  if (candidates_.empty())
    return 0;

  if (std::isinf(best.logit)) {
    // The limit of the softmax: the +inf logits share all the mass.
    candidates_.erase(
        std::remove_if(candidates_.begin(), candidates_.end(),
                       [](const Candidate &c) { return !std::isinf(c.logit); }),
        candidates_.end());
    std::sort(candidates_.begin(), candidates_.end(), ranksBefore);
    size_t pick = static_cast<size_t>(uniform() * candidates_.size());
    return candidates_[std::min(pick, candidates_.size() - 1)].id;
  }

  // Weights are p_i / p_max after temperature, so the largest is 1.
  const double temperature = config_.temperature;
  double total = 0.0;
  for (Candidate &c : candidates_) {
    c.weight =
        std::exp((static_cast<double>(c.logit) - best.logit) / temperature);
    total += c.weight;
  }

  if (config_.topP > 0.0f && config_.topP < 1.0f)
    dropTopPTail(total);

  if (config_.minP > 0.0f) {
    const double minP = config_.minP;
    candidates_.erase(
        std::remove_if(candidates_.begin(), candidates_.end(),
                       [&](const Candidate &c) { return c.weight < minP; }),
        candidates_.end());
  }

  total = 0.0;
  for (const Candidate &c : candidates_)
    total += c.weight;
  double target = uniform() * total;
  double cumulative = 0.0;
  for (const Candidate &c : candidates_) {
    cumulative += c.weight;
    if (target < cumulative)
      return c.id;
  }
  // Rounding can leave the target at the very top of the last interval.
  return candidates_.back().id;
}

float Sampler::kthLargest(int32_t k) {
  // A min-heap of the k largest so far: for the usual small k nearly every
  // logit costs one comparison, where nth_element moves the whole row.
  if (static_cast<size_t>(k) * 64 <= logits_.size()) {
    kthScratch_.assign(logits_.begin(), logits_.begin() + k);
    std::make_heap(kthScratch_.begin(), kthScratch_.end(),
                   std::greater<float>());
    for (size_t i = k; i < logits_.size(); ++i) {
      if (!(logits_[i] > kthScratch_.front()))
        continue;
      std::pop_heap(kthScratch_.begin(), kthScratch_.end(),
                    std::greater<float>());
      kthScratch_.back() = logits_[i];
      std::push_heap(kthScratch_.begin(), kthScratch_.end(),
                     std::greater<float>());
    }
    return kthScratch_.front();
  }
  kthScratch_.assign(logits_.begin(), logits_.end());
  auto kth = kthScratch_.begin() + (k - 1);
  std::nth_element(kthScratch_.begin(), kth, kthScratch_.end(),
                   std::greater<float>());
  return *kth;
}

// The reference sorts ascending and drops the tokens whose running sum of
// probabilities is <= 1 - topP. Those form the longest ascending prefix with
// a sum within that budget, which a quickselect on mass finds in expected
// linear time: with 50k candidates a full sort costs milliseconds a token.
void Sampler::dropTopPTail(double total) {
  const double budget = (1.0 - static_cast<double>(config_.topP)) * total;
  auto ascending = [](const Candidate &a, const Candidate &b) {
    return ranksBefore(b, a);
  };
  // A candidate lighter than budget / m, for m candidates, heads an
  // ascending run of lighter ones whose mass stays below the budget, so it
  // is dropped. Setting those aside first leaves few for the selection.
  const double light = budget / static_cast<double>(candidates_.size());
  auto heavy =
      std::partition(candidates_.begin(), candidates_.end(),
                     [&](const Candidate &c) { return c.weight < light; });
  double removedMass = 0.0;
  for (auto it = candidates_.begin(); it != heavy; ++it)
    removedMass += it->weight;
  // [0, removed) is dropped, [end, size) kept, [removed, end) undecided;
  // every dropped candidate ranks below every undecided one, and those below
  // every kept one.
  size_t removed = heavy - candidates_.begin(), end = candidates_.size();
  while (removed < end) {
    size_t pivot = removed + (end - removed) / 2;
    std::nth_element(candidates_.begin() + removed, candidates_.begin() + pivot,
                     candidates_.begin() + end, ascending);
    double lowMass = 0.0;
    for (size_t i = removed; i < pivot; ++i)
      lowMass += candidates_[i].weight;
    if (removedMass + lowMass + candidates_[pivot].weight <= budget) {
      removedMass += lowMass + candidates_[pivot].weight;
      removed = pivot + 1;
    } else if (removedMass + lowMass <= budget) {
      removed = pivot;
      break;
    } else {
      end = pivot;
    }
  }
  // The most likely token always stays, even when rounding puts the whole
  // mass within the budget (topP within an ulp of 0). It is then the last
  // candidate: the final pivot was the largest of the last range.
  removed = std::min(removed, candidates_.size() - 1);
  candidates_.erase(candidates_.begin(), candidates_.begin() + removed);
}

} // namespace mamba::text
