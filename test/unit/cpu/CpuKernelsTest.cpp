//===- CpuKernelsTest.cpp - CPU kernels against naive f64 references ------===//
//
// Every kernel of runtime/cpu is compared with loops written here
// independently in f64 (SSD with the five-stage chunked algorithm of
// mamba-reference.md 1.4), and the kernels are cross-checked against each
// other: ssd against selectiveScan, decode steps against prefill, strided
// views against contiguous buffers. Inputs are fresh random values; the
// tolerance is a relative L2 error below 1e-5 (design.md section 7), and NaN
// never passes. Each test prints the largest error it measured.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/CpuKernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

using namespace mamba::cpu;

namespace {

constexpr double kTol = 1e-5;
constexpr float kInf = std::numeric_limits<float>::infinity();

using Vec = std::vector<float>;
using DVec = std::vector<double>;
using Labels = std::vector<int32_t>;

Vec randomVec(std::mt19937_64 &rng, int64_t n, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  Vec v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

DVec toDouble(const Vec &v) { return DVec(v.begin(), v.end()); }

/// ||got - ref|| / ||ref||; +inf when anything is not finite or the sizes
/// differ, so NaN never passes.
double relL2(const Vec &got, const DVec &ref) {
  if (got.size() != ref.size())
    return std::numeric_limits<double>::infinity();
  double num = 0.0, den = 0.0;
  for (size_t i = 0; i < got.size(); ++i) {
    if (!std::isfinite(got[i]) || !std::isfinite(ref[i]))
      return std::numeric_limits<double>::infinity();
    num += (got[i] - ref[i]) * (got[i] - ref[i]);
    den += ref[i] * ref[i];
  }
  if (den == 0.0)
    return num == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return std::sqrt(num / den);
}

/// Checks comparisons against the tolerance and prints the worst one when
/// the test ends.
class MaxError {
public:
  explicit MaxError(std::string what) : what(std::move(what)) {}
  ~MaxError() {
    std::printf("[ max rel  ] %-44s %.3e over %d comparisons\n", what.c_str(),
                worst, count);
  }
  void check(const Vec &got, const DVec &ref, const std::string &context) {
    const double e = relL2(got, ref);
    worst = std::max(worst, e);
    ++count;
    EXPECT_LT(e, kTol) << what << ": " << context;
  }
  void check(const Vec &got, const Vec &ref, const std::string &context) {
    check(got, toDouble(ref), context);
  }

private:
  std::string what;
  double worst = 0.0;
  int count = 0;
};

double softplusD(double x) { return x > 20.0 ? x : std::log1p(std::exp(x)); }
double siluD(double x) { return x / (1.0 + std::exp(-x)); }

/// Labels of packed sequences: the label goes up by one at each cut, and
/// positions from `padFrom` on are padding (-1).
Labels packedLabels(int64_t L, std::vector<int64_t> cuts, int64_t padFrom,
                    int32_t first = 0) {
  Labels s(L);
  int32_t label = first;
  for (int64_t t = 0; t < L; ++t) {
    if (std::find(cuts.begin(), cuts.end(), t) != cuts.end())
      ++label;
    s[t] = t >= padFrom ? -1 : label;
  }
  return s;
}

/// State indices for a decode batch: `used` distinct random rows of a pool
/// of `poolSize`, then one padding row (-1).
Labels poolIndices(std::mt19937_64 &rng, int64_t poolSize, int64_t used) {
  Labels rows(poolSize);
  for (int64_t i = 0; i < poolSize; ++i)
    rows[i] = int32_t(i);
  std::shuffle(rows.begin(), rows.end(), rng);
  rows.resize(used);
  rows.push_back(-1);
  return rows;
}

/// Expects the pool rows that no index names to equal `before`.
void expectUnusedRowsUntouched(const Vec &pool, const Vec &before,
                               int64_t rowSize, const Labels &idx,
                               const std::string &context) {
  for (int64_t row = 0; row < int64_t(pool.size()) / rowSize; ++row) {
    if (std::find(idx.begin(), idx.end(), row) != idx.end())
      continue;
    EXPECT_TRUE(std::equal(pool.begin() + row * rowSize,
                           pool.begin() + (row + 1) * rowSize,
                           before.begin() + row * rowSize))
        << context << ": state row " << row << " changed";
  }
}

IndexView indexView(const Labels &v, int64_t s0, int64_t s1 = 0) {
  IndexView iv;
  iv.data = v.data();
  iv.stride[0] = s0;
  iv.stride[1] = s1;
  return iv;
}

//===----------------------------------------------------------------------===//
// Scalar functions
//===----------------------------------------------------------------------===//

TEST(CpuScalars, SoftplusAndSilu) {
  // Above the threshold of 20 softplus is the identity.
  EXPECT_EQ(softplus(20.5f), 20.5f);
  EXPECT_EQ(softplus(300.0f), 300.0f);
  for (float x : {-30.0f, -3.7f, -0.3f, 0.2f, 4.1f, 19.9f, 20.0f})
    EXPECT_NEAR(softplus(x), softplusD(x), 1e-6 * softplusD(x)) << x;
  for (float x : {-100.0f, -7.3f, -0.6f, 0.4f, 3.3f, 50.0f})
    EXPECT_NEAR(silu(x), siluD(x), 1e-6 * std::abs(siluD(x)) + 1e-30) << x;
  EXPECT_FALSE(std::isnan(silu(-200.0f)));
}

TEST(CpuTestHarness, NanNeverPasses) {
  EXPECT_EQ(relL2({1.0f, NAN}, {1.0, 2.0}), HUGE_VAL);
  EXPECT_EQ(relL2({1.0f, 2.0f}, {1.0, NAN}), HUGE_VAL);
  EXPECT_EQ(relL2({1.0f}, {1.0, 2.0}), HUGE_VAL);
  EXPECT_EQ(relL2({0.0f, 0.0f}, {0.0, 0.0}), 0.0);
}

//===----------------------------------------------------------------------===//
// causal_conv1d
//===----------------------------------------------------------------------===//

struct ConvData {
  int64_t Bt = 0, D = 0, L = 0, W = 0;
  bool silu = false, hasBias = false, hasInit = false, hasSeq = false;
  Vec x, weight, bias, init; // x (Bt, D, L), init (Bt, D, W-1)
  Labels seq;                // (Bt, L)
};

ConvData makeConv(std::mt19937_64 &rng, int64_t Bt, int64_t D, int64_t L,
                  int64_t W, int variant) {
  ConvData c;
  c.Bt = Bt;
  c.D = D;
  c.L = L;
  c.W = W;
  c.silu = variant & 1;
  c.hasBias = variant & 2;
  c.hasInit = variant & 4;
  c.hasSeq = variant & 8;
  c.x = randomVec(rng, Bt * D * L, -1, 1);
  c.weight = randomVec(rng, D * W, -1, 1);
  c.bias = randomVec(rng, D, -1, 1);
  c.init = randomVec(rng, Bt * D * (W - 1), -1, 1);
  for (int64_t b = 0; b < Bt; ++b) {
    Labels s = packedLabels(L, {L / 3, L / 3 + 1, (2 * L) / 3},
                            b == 0 ? L - L / 4 : L, int32_t(b));
    c.seq.insert(c.seq.end(), s.begin(), s.end());
  }
  return c;
}

/// The conv over the sequence left-extended by its W-1 initial inputs.
void refConv(const ConvData &c, DVec &out, DVec &fin) {
  const int64_t W = c.W, L = c.L, E = W - 1 + L;
  out.assign(c.Bt * c.D * L, 0.0);
  fin.assign(c.Bt * c.D * (W - 1), 0.0);
  for (int64_t b = 0; b < c.Bt; ++b)
    for (int64_t d = 0; d < c.D; ++d) {
      DVec ext(E, 0.0);
      std::vector<int64_t> lab(E, -1);
      for (int64_t i = 0; i < W - 1 && c.hasInit; ++i)
        ext[i] = c.init[(b * c.D + d) * (W - 1) + i];
      for (int64_t t = 0; t < L; ++t) {
        ext[W - 1 + t] = c.x[(b * c.D + d) * L + t];
        lab[W - 1 + t] = c.hasSeq ? c.seq[b * L + t] : 0;
      }
      for (int64_t t = 0; t < L; ++t) {
        const int64_t self = W - 1 + t;
        if (lab[self] < 0)
          continue;
        double acc = c.hasBias ? c.bias[d] : 0.0;
        for (int64_t w = 0; w < W; ++w)
          if (!c.hasSeq || lab[t + w] == lab[self])
            acc += double(c.weight[d * W + w]) * ext[t + w];
        out[(b * c.D + d) * L + t] = c.silu ? siluD(acc) : acc;
      }
      for (int64_t k = 0; k < W - 1; ++k)
        fin[(b * c.D + d) * (W - 1) + k] = ext[L + k];
    }
}

/// Runs the kernel on contiguous channel-first buffers.
void runConv(ConvData &c, Vec &out, Vec &fin) {
  out.assign(c.Bt * c.D * c.L, NAN);
  fin.assign(c.Bt * c.D * (c.W - 1), NAN);
  CausalConv1dArgs a;
  a.batch = c.Bt;
  a.channels = c.D;
  a.seqlen = c.L;
  a.width = c.W;
  a.silu = c.silu;
  a.x = View(c.x.data(), c.D * c.L, c.L, 1);
  a.weight = View(c.weight.data(), c.W, 1);
  if (c.hasBias)
    a.bias = View(c.bias.data(), 1);
  if (c.hasInit)
    a.initialStates = View(c.init.data(), c.D * (c.W - 1), c.W - 1, 1);
  if (c.hasSeq)
    a.seqIdx = indexView(c.seq, c.L, 1);
  a.out = View(out.data(), c.D * c.L, c.L, 1);
  a.finalStates = View(fin.data(), c.D * (c.W - 1), c.W - 1, 1);
  causalConv1d(a);
}

TEST(CpuCausalConv1d, MatchesNaive) {
  MaxError err("causal_conv1d vs naive f64");
  std::mt19937_64 rng(1);
  for (int64_t W : {2, 3, 4})
    for (int64_t L : {1, 2, 5, 37, 130})
      for (int variant = 0; variant < 16; ++variant) {
        ConvData c = makeConv(rng, 2, 5, L, W, variant);
        Vec out, fin;
        DVec refOut, refFin;
        runConv(c, out, fin);
        refConv(c, refOut, refFin);
        const std::string ctx = "W=" + std::to_string(W) +
                                " L=" + std::to_string(L) +
                                " variant=" + std::to_string(variant);
        err.check(out, refOut, ctx + " out");
        err.check(fin, refFin, ctx + " final states");
      }
}

TEST(CpuCausalConv1d, SeqIdxMasksAndZeroesPadding) {
  std::mt19937_64 rng(2);
  ConvData c = makeConv(rng, 1, 3, 12, 4, 1 | 2 | 4 | 8);
  c.seq = {0, 0, 0, 0, 0, 1, 1, 2, 2, 2, -1, -1};
  Vec out, fin;
  runConv(c, out, fin);
  for (int64_t d = 0; d < 3; ++d) {
    // Padding outputs are exactly 0 even with bias and silu.
    EXPECT_EQ(out[d * 12 + 10], 0.0f);
    EXPECT_EQ(out[d * 12 + 11], 0.0f);
    // The first token of a sequence sees only itself (no initial states).
    const float first = c.weight[d * 4 + 3] * c.x[d * 12 + 5] + c.bias[d];
    EXPECT_FLOAT_EQ(out[d * 12 + 5], silu(first));
  }
}

TEST(CpuCausalConv1d, ChannelLastSlicesEqualContiguous) {
  std::mt19937_64 rng(3);
  for (int64_t L : {1, 3, 70}) {
    const int64_t Bt = 2, D = 6, W = 4, off = 5, Dtot = D + 9;
    ConvData c = makeConv(rng, Bt, D, L, W, 15);
    Vec out, fin;
    runConv(c, out, fin);

    // x lives channel-last in a wider (Bt, L, Dtot) buffer, as Mamba-2's
    // xBC slice of the in_proj output; the states are (Bt, W-1, D) in
    // memory, and seq_idx is stored transposed (L, Bt).
    Vec wide = randomVec(rng, Bt * L * Dtot, -1, 1);
    Vec initT(Bt * (W - 1) * D);
    Labels seqT(L * Bt);
    for (int64_t b = 0; b < Bt; ++b)
      for (int64_t d = 0; d < D; ++d) {
        for (int64_t t = 0; t < L; ++t)
          wide[(b * L + t) * Dtot + off + d] = c.x[(b * D + d) * L + t];
        for (int64_t k = 0; k < W - 1; ++k)
          initT[(b * (W - 1) + k) * D + d] = c.init[(b * D + d) * (W - 1) + k];
      }
    for (int64_t b = 0; b < Bt; ++b)
      for (int64_t t = 0; t < L; ++t)
        seqT[t * Bt + b] = c.seq[b * L + t];
    Vec outT(Bt * L * D, NAN), finT(Bt * (W - 1) * D, NAN);
    CausalConv1dArgs a;
    a.batch = Bt;
    a.channels = D;
    a.seqlen = L;
    a.width = W;
    a.silu = true;
    a.x = View(wide.data() + off, L * Dtot, 1, Dtot);
    a.weight = View(c.weight.data(), W, 1);
    a.bias = View(c.bias.data(), 1);
    a.initialStates = View(initT.data(), (W - 1) * D, 1, D);
    a.seqIdx = indexView(seqT, 1, Bt);
    a.out = View(outT.data(), L * D, 1, D);
    a.finalStates = View(finT.data(), (W - 1) * D, 1, D);
    causalConv1d(a);
    for (int64_t b = 0; b < Bt; ++b)
      for (int64_t d = 0; d < D; ++d) {
        for (int64_t t = 0; t < L; ++t)
          EXPECT_EQ(outT[(b * L + t) * D + d], out[(b * D + d) * L + t]);
        for (int64_t k = 0; k < W - 1; ++k)
          EXPECT_EQ(finT[(b * (W - 1) + k) * D + d],
                    fin[(b * D + d) * (W - 1) + k]);
      }
  }
}

TEST(CpuCausalConv1d, FinalStatesMayAliasInitialStates) {
  std::mt19937_64 rng(4);
  for (int64_t L : {1, 2, 9}) {
    ConvData c = makeConv(rng, 2, 3, L, 4, 1 | 2 | 4);
    Vec out, fin;
    runConv(c, out, fin);
    Vec states = c.init, out2(out.size());
    CausalConv1dArgs a;
    a.batch = 2;
    a.channels = 3;
    a.seqlen = L;
    a.width = 4;
    a.silu = true;
    a.x = View(c.x.data(), 3 * L, L, 1);
    a.weight = View(c.weight.data(), 4, 1);
    a.bias = View(c.bias.data(), 1);
    a.initialStates = View(states.data(), 9, 3, 1);
    a.finalStates = a.initialStates;
    a.out = View(out2.data(), 3 * L, L, 1);
    causalConv1d(a);
    EXPECT_EQ(out2, out) << "L=" << L;
    EXPECT_EQ(states, fin) << "L=" << L;
  }
}

//===----------------------------------------------------------------------===//
// causal_conv1d_update
//===----------------------------------------------------------------------===//

TEST(CpuCausalConv1dUpdate, MatchesNaive) {
  MaxError err("causal_conv1d_update vs naive f64");
  std::mt19937_64 rng(5);
  const int64_t Bt = 3, D = 7, S = 7;
  for (int64_t W : {2, 3, 4})
    for (int64_t K : {W - 1, W, W + 2})
      for (bool indices : {false, true})
        for (bool silu : {false, true}) {
          Vec x = randomVec(rng, Bt * D, -1, 1);
          Vec weight = randomVec(rng, D * W, -1, 1);
          Vec bias = randomVec(rng, D, -1, 1);
          Vec pool = randomVec(rng, S * D * K, -1, 1);
          Labels idx = poolIndices(rng, S, 2);
          std::swap(idx[1], idx[2]); // the padding row in the middle
          Vec expectPool = pool;
          DVec ref(Bt * D, 0.0);
          for (int64_t b = 0; b < Bt; ++b) {
            const int64_t row = indices ? idx[b] : b;
            if (row < 0)
              continue;
            for (int64_t d = 0; d < D; ++d) {
              const float *s = &pool[(row * D + d) * K];
              // Window: the last W-1 state entries, then the new input.
              double acc = bias[d];
              for (int64_t w = 0; w < W; ++w) {
                const double v = w == W - 1 ? x[b * D + d] : s[K - (W - 1) + w];
                acc += double(weight[d * W + w]) * v;
              }
              ref[b * D + d] = silu ? siluD(acc) : acc;
              float *e = &expectPool[(row * D + d) * K];
              std::copy(s + 1, s + K, e);
              e[K - 1] = x[b * D + d];
            }
          }
          Vec out(Bt * D, NAN);
          CausalConv1dUpdateArgs a;
          a.batch = Bt;
          a.channels = D;
          a.width = W;
          a.stateLen = K;
          a.silu = silu;
          a.x = View(x.data(), D, 1);
          a.convState = View(pool.data(), D * K, K, 1);
          a.weight = View(weight.data(), W, 1);
          a.bias = View(bias.data(), 1);
          if (indices)
            a.stateIndices = indexView(idx, 1);
          a.out = View(out.data(), D, 1);
          causalConv1dUpdate(a);
          const std::string ctx = "W=" + std::to_string(W) +
                                  " K=" + std::to_string(K) +
                                  (indices ? " indices" : "");
          err.check(out, ref, ctx);
          EXPECT_EQ(pool, expectPool) << ctx;
        }
}

TEST(CpuCausalConv1dUpdate, StepsEqualPrefill) {
  MaxError err("causal_conv1d_update steps vs causal_conv1d");
  std::mt19937_64 rng(6);
  // Three sequences and a padding row (state index -1) decode together
  // from a pool of five state rows.
  const int64_t Bt = 4, D = 6, S = 5;
  for (int64_t W : {2, 3, 4})
    for (int64_t L : {1, 2, 9})
      for (int64_t K : {W - 1, W + 1}) {
        const Labels idx = poolIndices(rng, S, 3);
        ConvData c = makeConv(rng, Bt, D, L, W, 1 | 2 | 4);
        Vec out, fin;
        runConv(c, out, fin);

        Vec pool = randomVec(rng, S * D * K, -1, 1);
        for (int64_t b = 0; b < Bt; ++b)
          for (int64_t d = 0; d < D && idx[b] >= 0; ++d)
            for (int64_t k = 0; k < W - 1; ++k)
              pool[(idx[b] * D + d) * K + K - (W - 1) + k] =
                  c.init[(b * D + d) * (W - 1) + k];
        const Vec before = pool;
        Vec stepOut(Bt * L * D, NAN);
        for (int64_t t = 0; t < L; ++t) {
          CausalConv1dUpdateArgs a;
          a.batch = Bt;
          a.channels = D;
          a.width = W;
          a.stateLen = K;
          a.silu = true;
          a.x = View(c.x.data() + t, D * L, L); // token t of each row
          a.convState = View(pool.data(), D * K, K, 1);
          a.weight = View(c.weight.data(), W, 1);
          a.bias = View(c.bias.data(), 1);
          a.stateIndices = indexView(idx, 1);
          a.out = View(stepOut.data() + t, D * L, L);
          causalConv1dUpdate(a);
        }
        const std::string ctx = "W=" + std::to_string(W) +
                                " L=" + std::to_string(L) +
                                " K=" + std::to_string(K);
        // The padding row outputs 0; the others match the prefill.
        for (int64_t i = 0; i < D * L; ++i) {
          EXPECT_EQ(stepOut[3 * D * L + i], 0.0f) << ctx;
          stepOut[3 * D * L + i] = out[3 * D * L + i];
        }
        err.check(stepOut, out, ctx + " out");
        Vec gotFin(Bt * D * (W - 1)), refFin(Bt * D * (W - 1));
        for (int64_t b = 0; b < 3; ++b)
          for (int64_t d = 0; d < D; ++d)
            for (int64_t k = 0; k < W - 1; ++k) {
              gotFin[(b * D + d) * (W - 1) + k] =
                  pool[(idx[b] * D + d) * K + K - (W - 1) + k];
              refFin[(b * D + d) * (W - 1) + k] =
                  fin[(b * D + d) * (W - 1) + k];
            }
        err.check(gotFin, refFin, ctx + " final states");
        expectUnusedRowsUntouched(pool, before, D * K, idx, ctx);
      }
}

//===----------------------------------------------------------------------===//
// selective_scan
//===----------------------------------------------------------------------===//

struct ScanData {
  int64_t Bt = 0, D = 0, L = 0, N = 0, G = 0;
  bool varB = true, varC = true, hasD = false, hasZ = false, hasBias = false,
       softplus = true, hasInit = false;
  Vec u, delta, A, B, C, Dv, z, bias, init;
  // Variable B/C: (Bt, G, N, L); constant: (D, N).
};

ScanData makeScan(std::mt19937_64 &rng, int64_t Bt, int64_t D, int64_t L,
                  int64_t N, int64_t G, int variant) {
  ScanData s;
  s.Bt = Bt;
  s.D = D;
  s.L = L;
  s.N = N;
  s.G = G;
  s.varB = !(variant & 1);
  s.varC = !(variant & 2);
  s.hasD = variant & 4;
  s.hasZ = variant & 8;
  s.hasBias = variant & 16;
  s.softplus = !(variant & 32);
  s.hasInit = variant & 64;
  s.u = randomVec(rng, Bt * D * L, -1, 1);
  // Without softplus the raw deltas are the steps: keep them positive.
  s.delta = s.softplus ? randomVec(rng, Bt * D * L, -3, 0.5f)
                       : randomVec(rng, Bt * D * L, 0.01f, 0.7f);
  s.A = randomVec(rng, D * N, -2, -0.1f);
  s.B = s.varB ? randomVec(rng, Bt * G * N * L, -1, 1)
               : randomVec(rng, D * N, -1, 1);
  s.C = s.varC ? randomVec(rng, Bt * G * N * L, -1, 1)
               : randomVec(rng, D * N, -1, 1);
  s.Dv = randomVec(rng, D, -1, 1);
  s.z = randomVec(rng, Bt * D * L, -2, 2);
  s.bias =
      s.softplus ? randomVec(rng, D, -1, 0.5f) : randomVec(rng, D, 0.01f, 0.2f);
  s.init = randomVec(rng, Bt * D * N, -1, 1);
  return s;
}

void refScan(const ScanData &s, DVec &out, DVec &last) {
  const int64_t D = s.D, N = s.N, L = s.L, G = s.G;
  out.assign(s.Bt * D * L, 0.0);
  last.assign(s.Bt * D * N, 0.0);
  for (int64_t b = 0; b < s.Bt; ++b)
    for (int64_t d = 0; d < D; ++d) {
      const int64_t g = d * G / D;
      DVec x(N, 0.0);
      for (int64_t n = 0; n < N && s.hasInit; ++n)
        x[n] = s.init[(b * D + d) * N + n];
      for (int64_t t = 0; t < L; ++t) {
        double dt =
            s.delta[(b * D + d) * L + t] + (s.hasBias ? s.bias[d] : 0.0);
        if (s.softplus)
          dt = softplusD(dt);
        const double u = s.u[(b * D + d) * L + t];
        double y = 0.0;
        for (int64_t n = 0; n < N; ++n) {
          const double Bn =
              s.varB ? s.B[((b * G + g) * N + n) * L + t] : s.B[d * N + n];
          const double Cn =
              s.varC ? s.C[((b * G + g) * N + n) * L + t] : s.C[d * N + n];
          x[n] = std::exp(dt * s.A[d * N + n]) * x[n] + dt * Bn * u;
          y += x[n] * Cn;
        }
        if (s.hasD)
          y += s.Dv[d] * u;
        if (s.hasZ)
          y *= siluD(s.z[(b * D + d) * L + t]);
        out[(b * D + d) * L + t] = y;
      }
      for (int64_t n = 0; n < N; ++n)
        last[(b * D + d) * N + n] = x[n];
    }
}

/// The kernel's arguments over contiguous buffers (outputs left unset).
SelectiveScanArgs scanArgs(ScanData &s) {
  SelectiveScanArgs a;
  a.batch = s.Bt;
  a.channels = s.D;
  a.seqlen = s.L;
  a.dstate = s.N;
  a.groupsB = a.groupsC = s.G;
  a.variableB = s.varB;
  a.variableC = s.varC;
  a.deltaSoftplus = s.softplus;
  a.u = View(s.u.data(), s.D * s.L, s.L, 1);
  a.delta = View(s.delta.data(), s.D * s.L, s.L, 1);
  a.A = View(s.A.data(), s.N, 1);
  const int64_t sb = s.G * s.N * s.L, sg = s.N * s.L, sn = s.L;
  a.B = s.varB ? View(s.B.data(), sb, sg, sn, 1) : View(s.B.data(), s.N, 1);
  a.C = s.varC ? View(s.C.data(), sb, sg, sn, 1) : View(s.C.data(), s.N, 1);
  if (s.hasD)
    a.D = View(s.Dv.data(), 1);
  if (s.hasZ)
    a.z = View(s.z.data(), s.D * s.L, s.L, 1);
  if (s.hasBias)
    a.deltaBias = View(s.bias.data(), 1);
  if (s.hasInit)
    a.initialState = View(s.init.data(), s.D * s.N, s.N, 1);
  return a;
}

void runScan(ScanData &s, Vec &out, Vec &last) {
  out.assign(s.Bt * s.D * s.L, NAN);
  last.assign(s.Bt * s.D * s.N, NAN);
  SelectiveScanArgs a = scanArgs(s);
  a.out = View(out.data(), s.D * s.L, s.L, 1);
  a.lastState = View(last.data(), s.D * s.N, s.N, 1);
  selectiveScan(a);
}

TEST(CpuSelectiveScan, MatchesNaive) {
  MaxError err("selective_scan vs naive f64");
  std::mt19937_64 rng(7);
  for (int64_t L : {1, 7, 130})
    for (int64_t N : {4, 16})
      for (int64_t G : {1, 2})
        for (int k = 0; k < 12; ++k) {
          // All four B/C kinds, the other flags at random.
          const int v = (k & 3) | int(rng() % 32) << 2;
          ScanData s = makeScan(rng, 2, 6, L, N, G, v);
          Vec out, last;
          DVec refOut, refLast;
          runScan(s, out, last);
          refScan(s, refOut, refLast);
          const std::string ctx =
              "L=" + std::to_string(L) + " N=" + std::to_string(N) +
              " G=" + std::to_string(G) + " variant=" + std::to_string(v);
          err.check(out, refOut, ctx + " out");
          err.check(last, refLast, ctx + " last state");
        }
}

TEST(CpuSelectiveScan, StridedViewsEqualContiguous) {
  std::mt19937_64 rng(8);
  for (int64_t L : {1, 9, 67}) {
    const int64_t Bt = 2, D = 4, N = 5, G = 2, Dtot = 2 * D + 3;
    ScanData s = makeScan(rng, Bt, D, L, N, G, 4 | 8 | 16 | 64);
    Vec out, last;
    runScan(s, out, last);

    // u and z are channel-last slices of one (Bt, L, Dtot) buffer, delta a
    // channel-last buffer of its own, B and C (Bt, L, G, N), the states
    // (Bt, N, D), and the output channel-last in a wider buffer.
    Vec xz = randomVec(rng, Bt * L * Dtot, -1, 1), deltaT(Bt * L * D);
    Vec BT(Bt * L * G * N), CT(Bt * L * G * N), initT(Bt * N * D);
    for (int64_t b = 0; b < Bt; ++b)
      for (int64_t d = 0; d < D; ++d) {
        for (int64_t t = 0; t < L; ++t) {
          xz[(b * L + t) * Dtot + 1 + d] = s.u[(b * D + d) * L + t];
          xz[(b * L + t) * Dtot + 2 + D + d] = s.z[(b * D + d) * L + t];
          deltaT[(b * L + t) * D + d] = s.delta[(b * D + d) * L + t];
        }
        for (int64_t n = 0; n < N; ++n)
          initT[(b * N + n) * D + d] = s.init[(b * D + d) * N + n];
      }
    for (int64_t b = 0; b < Bt; ++b)
      for (int64_t g = 0; g < G; ++g)
        for (int64_t n = 0; n < N; ++n)
          for (int64_t t = 0; t < L; ++t) {
            BT[((b * L + t) * G + g) * N + n] =
                s.B[((b * G + g) * N + n) * L + t];
            CT[((b * L + t) * G + g) * N + n] =
                s.C[((b * G + g) * N + n) * L + t];
          }
    Vec wideOut(Bt * L * (D + 2), NAN), lastT(Bt * N * D, NAN);
    SelectiveScanArgs a = scanArgs(s);
    a.u = View(xz.data() + 1, L * Dtot, 1, Dtot);
    a.z = View(xz.data() + 2 + D, L * Dtot, 1, Dtot);
    a.delta = View(deltaT.data(), L * D, 1, D);
    a.B = View(BT.data(), L * G * N, N, 1, G * N);
    a.C = View(CT.data(), L * G * N, N, 1, G * N);
    a.initialState = View(initT.data(), N * D, 1, D);
    a.out = View(wideOut.data() + 2, L * (D + 2), 1, D + 2);
    a.lastState = View(lastT.data(), N * D, 1, D);
    selectiveScan(a);
    for (int64_t b = 0; b < Bt; ++b)
      for (int64_t d = 0; d < D; ++d) {
        for (int64_t t = 0; t < L; ++t)
          EXPECT_EQ(wideOut[(b * L + t) * (D + 2) + 2 + d],
                    out[(b * D + d) * L + t]);
        for (int64_t n = 0; n < N; ++n)
          EXPECT_EQ(lastT[(b * N + n) * D + d], last[(b * D + d) * N + n]);
      }
  }
}

//===----------------------------------------------------------------------===//
// selective_state_update
//===----------------------------------------------------------------------===//

struct UpdateData {
  int64_t Bt = 0, H = 0, P = 0, N = 0, G = 0, S = 0;
  bool tied = false, softplus = true, limits = false, hasZ = false,
       hasBias = false;
  int dMode = 0; // 0 none, 1 per head, 2 per channel
  Vec pool, x, dt, A, B, C, Dv, z, bias;
  Labels idx; // empty: row b uses state row b
};

UpdateData makeUpdate(std::mt19937_64 &rng, bool tied, int64_t H, int64_t P,
                      int64_t N, int64_t G, int variant, bool indices) {
  const int64_t Bt = 3;
  UpdateData u;
  u.Bt = Bt;
  u.H = H;
  u.P = P;
  u.N = N;
  u.G = G;
  u.S = indices ? 2 * Bt + 1 : Bt;
  u.tied = tied;
  u.softplus = !(variant & 1);
  u.limits = variant & 2;
  u.hasZ = variant & 4;
  u.hasBias = variant & 8;
  u.dMode = (variant >> 4) % 3;
  const int64_t dtCount = tied ? Bt * H : Bt * H * P;
  const int64_t perStep = tied ? H : H * P;
  u.pool = randomVec(rng, u.S * H * P * N, -1, 1);
  u.x = randomVec(rng, Bt * H * P, -1, 1);
  u.dt = u.softplus ? randomVec(rng, dtCount, -3, 0.5f)
                    : randomVec(rng, dtCount, 0.01f, 0.7f);
  u.A = tied ? randomVec(rng, H, -2, -0.1f)
             : randomVec(rng, H * P * N, -2, -0.1f);
  u.B = randomVec(rng, Bt * G * N, -1, 1);
  u.C = randomVec(rng, Bt * G * N, -1, 1);
  u.Dv = randomVec(rng, u.dMode == 1 ? H : H * P, -1, 1);
  u.z = randomVec(rng, Bt * H * P, -2, 2);
  u.bias = u.softplus ? randomVec(rng, perStep, -1, 0.5f)
                      : randomVec(rng, perStep, 0.01f, 0.2f);
  if (indices) {
    // Random rows of the pool, the padding row in the middle.
    u.idx = poolIndices(rng, u.S, 2);
    std::swap(u.idx[1], u.idx[2]);
  }
  return u;
}

SelectiveStateUpdateArgs updateArgs(UpdateData &u) {
  const int64_t H = u.H, P = u.P, N = u.N;
  SelectiveStateUpdateArgs a;
  a.batch = u.Bt;
  a.heads = H;
  a.headdim = P;
  a.dstate = N;
  a.groups = u.G;
  a.tiedHead = u.tied;
  a.dtSoftplus = u.softplus;
  if (u.limits) {
    a.dtMin = 0.05f;
    a.dtMax = 0.5f;
  }
  a.state = View(u.pool.data(), H * P * N, P * N, N, 1);
  a.x = View(u.x.data(), H * P, P, 1);
  a.dt = u.tied ? View(u.dt.data(), H, 1) : View(u.dt.data(), H * P, P, 1);
  a.A = u.tied ? View(u.A.data(), 1) : View(u.A.data(), P * N, N, 1);
  a.B = View(u.B.data(), u.G * N, N, 1);
  a.C = View(u.C.data(), u.G * N, N, 1);
  if (u.dMode == 1)
    a.D = View(u.Dv.data(), 1, 0);
  if (u.dMode == 2)
    a.D = View(u.Dv.data(), P, 1);
  if (u.hasZ)
    a.z = View(u.z.data(), H * P, P, 1);
  if (u.hasBias)
    a.dtBias = u.tied ? View(u.bias.data(), 1) : View(u.bias.data(), P, 1);
  if (!u.idx.empty())
    a.stateIndices = indexView(u.idx, 1);
  return a;
}

/// One step in f64; returns the expected output and fills the expected pool.
DVec refUpdate(const UpdateData &u, DVec &pool) {
  const int64_t H = u.H, P = u.P, N = u.N;
  pool = toDouble(u.pool);
  DVec out(u.Bt * H * P, 0.0);
  for (int64_t b = 0; b < u.Bt; ++b) {
    const int64_t row = u.idx.empty() ? b : u.idx[b];
    if (row < 0)
      continue;
    for (int64_t h = 0; h < H; ++h)
      for (int64_t p = 0; p < P; ++p) {
        const int64_t c = h * P + p, g = c * u.G / (H * P);
        double dt = u.tied ? u.dt[b * H + h] : u.dt[b * H * P + c];
        if (u.hasBias)
          dt += u.tied ? u.bias[h] : u.bias[c];
        if (u.softplus)
          dt = softplusD(dt);
        dt = std::min(std::max(dt, u.limits ? 0.05 : 0.0),
                      u.limits ? 0.5 : double(kInf));
        const double x = u.x[b * H * P + c];
        double y = 0.0;
        for (int64_t n = 0; n < N; ++n) {
          const double A = u.tied ? u.A[h] : u.A[c * N + n];
          double &s = pool[(row * H * P + c) * N + n];
          s = std::exp(A * dt) * s + dt * u.B[(b * u.G + g) * N + n] * x;
          y += s * u.C[(b * u.G + g) * N + n];
        }
        if (u.dMode)
          y += (u.dMode == 1 ? u.Dv[h] : u.Dv[c]) * x;
        if (u.hasZ)
          y *= siluD(u.z[b * H * P + c]);
        out[b * H * P + c] = y;
      }
  }
  return out;
}

TEST(CpuSelectiveStateUpdate, MatchesNaive) {
  MaxError err("selective_state_update vs naive f64");
  std::mt19937_64 rng(9);
  for (bool tied : {true, false})
    for (int64_t H : {1, 4})
      for (int64_t P : {3, 8})
        for (int64_t N : {4, 16})
          for (int64_t G : {1, 2})
            for (bool indices : {false, true}) {
              // Heads share groups in the tied form; the untied form may
              // also split the channels of one head (Mamba-1, H = 1).
              if (tied ? H % G != 0 : (H * P) % G != 0)
                continue;
              const int variant = int(rng() % 48);
              UpdateData u =
                  makeUpdate(rng, tied, H, P, N, G, variant, indices);
              const Vec before = u.pool;
              DVec refPool;
              DVec ref = refUpdate(u, refPool);
              Vec out(u.Bt * H * P, NAN);
              SelectiveStateUpdateArgs a = updateArgs(u);
              a.out = View(out.data(), H * P, P, 1);
              selectiveStateUpdate(a);
              const std::string ctx =
                  std::string(tied ? "tied" : "untied") +
                  " H=" + std::to_string(H) + " P=" + std::to_string(P) +
                  " N=" + std::to_string(N) + " G=" + std::to_string(G) +
                  " variant=" + std::to_string(variant) +
                  (indices ? " indices" : "");
              err.check(out, ref, ctx + " out");
              err.check(u.pool, refPool, ctx + " state");
              if (indices)
                expectUnusedRowsUntouched(u.pool, before, H * P * N, u.idx,
                                          ctx);
              for (int64_t p = 0; p < H * P && indices; ++p)
                EXPECT_EQ(out[H * P + p], 0.0f) << ctx << " padding row";
            }
}

/// Mamba-1 decode (the untied form, including H = 1 over D channels) steps
/// through a sequence and must reproduce selectiveScan's prefill.
TEST(CpuSelectiveStateUpdate, DecodeEqualsSelectiveScan) {
  MaxError err("selective_state_update steps vs selective_scan");
  std::mt19937_64 rng(11);
  // Three sequences plus a padding row, from a pool of six state rows.
  const int64_t Bt = 4, S = 6, N = 8;
  for (int64_t H : {1, 2})
    for (int64_t G : {1, 2})
      for (int64_t L : {1, 5, 40}) {
        const Labels idx = poolIndices(rng, S, 3);
        const int64_t P = 6 / H, D = H * P;
        ScanData s = makeScan(rng, Bt, D, L, N, G, 4 | 8 | 16 | 64);
        Vec out, last;
        runScan(s, out, last);

        Vec pool = randomVec(rng, S * D * N, -1, 1);
        for (int64_t b = 0; b < 3; ++b)
          std::copy(s.init.begin() + b * D * N,
                    s.init.begin() + (b + 1) * D * N,
                    pool.begin() + idx[b] * D * N);
        const Vec before = pool;
        Vec stepOut(Bt * D * L, NAN);
        for (int64_t t = 0; t < L; ++t) {
          // Token t of the prefill buffers, as (Bt, H, P) and (Bt, G, N)
          // views; A (D, N) is (H, P, N).
          SelectiveStateUpdateArgs a;
          a.batch = Bt;
          a.heads = H;
          a.headdim = P;
          a.dstate = N;
          a.groups = G;
          a.tiedHead = false;
          a.dtSoftplus = true;
          a.state = View(pool.data(), D * N, P * N, N, 1);
          a.x = View(s.u.data() + t, D * L, P * L, L);
          a.dt = View(s.delta.data() + t, D * L, P * L, L);
          a.A = View(s.A.data(), P * N, N, 1);
          a.B = View(s.B.data() + t, G * N * L, N * L, L);
          a.C = View(s.C.data() + t, G * N * L, N * L, L);
          a.D = View(s.Dv.data(), P, 1);
          a.z = View(s.z.data() + t, D * L, P * L, L);
          a.dtBias = View(s.bias.data(), P, 1);
          a.stateIndices = indexView(idx, 1);
          a.out = View(stepOut.data() + t, D * L, P * L, L);
          selectiveStateUpdate(a);
        }
        const std::string ctx = "H=" + std::to_string(H) +
                                " G=" + std::to_string(G) +
                                " L=" + std::to_string(L);
        for (int64_t i = 0; i < D * L; ++i) {
          EXPECT_EQ(stepOut[3 * D * L + i], 0.0f) << ctx;
          stepOut[3 * D * L + i] = out[3 * D * L + i];
        }
        err.check(stepOut, out, ctx + " out");
        Vec gotLast, refLast;
        for (int64_t b = 0; b < 3; ++b) {
          gotLast.insert(gotLast.end(), pool.begin() + idx[b] * D * N,
                         pool.begin() + (idx[b] + 1) * D * N);
          refLast.insert(refLast.end(), last.begin() + b * D * N,
                         last.begin() + (b + 1) * D * N);
        }
        err.check(gotLast, refLast, ctx + " state");
        expectUnusedRowsUntouched(pool, before, D * N, idx, ctx);
      }
}

//===----------------------------------------------------------------------===//
// ssd
//===----------------------------------------------------------------------===//

struct SsdData {
  int64_t Bt = 0, L = 0, H = 0, P = 0, G = 0, N = 0;
  bool softplus = true, limits = false, hasZ = false, hasBias = false,
       hasInit = false, hasSeq = false;
  int dMode = 0; // 0 none, 1 per head, 2 per channel
  Vec x, dt, A, B, C, Dv, z, bias, init;
  Labels seq;
};

SsdData makeSsd(std::mt19937_64 &rng, int64_t Bt, int64_t L, int64_t H,
                int64_t P, int64_t G, int64_t N, bool softplus) {
  SsdData d;
  d.Bt = Bt;
  d.L = L;
  d.H = H;
  d.P = P;
  d.G = G;
  d.N = N;
  d.softplus = softplus;
  d.x = randomVec(rng, Bt * L * H * P, -1, 1);
  d.dt = softplus ? randomVec(rng, Bt * L * H, -3, 0.5f)
                  : randomVec(rng, Bt * L * H, 0.01f, 0.7f);
  d.A = randomVec(rng, H, -2, -0.1f);
  d.B = randomVec(rng, Bt * L * G * N, -1, 1);
  d.C = randomVec(rng, Bt * L * G * N, -1, 1);
  d.Dv = randomVec(rng, H * P, -1, 1);
  d.z = randomVec(rng, Bt * L * H * P, -2, 2);
  d.bias =
      softplus ? randomVec(rng, H, -1, 0.5f) : randomVec(rng, H, 0.01f, 0.2f);
  d.init = randomVec(rng, Bt * H * P * N, -1, 1);
  d.seq.assign(Bt * L, 0);
  return d;
}

SsdArgs ssdArgs(SsdData &d) {
  const int64_t L = d.L, H = d.H, P = d.P, G = d.G, N = d.N;
  SsdArgs a;
  a.batch = d.Bt;
  a.seqlen = L;
  a.heads = H;
  a.headdim = P;
  a.groups = G;
  a.dstate = N;
  a.dtSoftplus = d.softplus;
  if (d.limits) {
    a.dtMin = 0.05f;
    a.dtMax = 0.5f;
  }
  a.x = View(d.x.data(), L * H * P, H * P, P, 1);
  a.dt = View(d.dt.data(), L * H, H, 1);
  a.A = View(d.A.data(), 1);
  a.B = View(d.B.data(), L * G * N, G * N, N, 1);
  a.C = View(d.C.data(), L * G * N, G * N, N, 1);
  if (d.dMode == 1)
    a.D = View(d.Dv.data(), 1, 0);
  if (d.dMode == 2)
    a.D = View(d.Dv.data(), P, 1);
  if (d.hasZ)
    a.z = View(d.z.data(), L * H * P, H * P, P, 1);
  if (d.hasBias)
    a.dtBias = View(d.bias.data(), 1);
  if (d.hasInit)
    a.initialStates = View(d.init.data(), H * P * N, P * N, N, 1);
  if (d.hasSeq)
    a.seqIdx = indexView(d.seq, L, 1);
  return a;
}

void runSsd(SsdData &d, Vec &out, Vec &fin) {
  out.assign(d.Bt * d.L * d.H * d.P, NAN);
  fin.assign(d.Bt * d.H * d.P * d.N, NAN);
  SsdArgs a = ssdArgs(d);
  a.out = View(out.data(), d.L * d.H * d.P, d.H * d.P, d.P, 1);
  a.finalStates = View(fin.data(), d.H * d.P * d.N, d.P * d.N, d.N, 1);
  ssd(a);
}

double ssdStep(const SsdData &d, int64_t b, int64_t t, int64_t h) {
  double v = d.dt[(b * d.L + t) * d.H + h] + (d.hasBias ? d.bias[h] : 0.0);
  if (d.softplus)
    v = softplusD(v);
  return std::min(std::max(v, d.limits ? 0.05 : 0.0),
                  d.limits ? 0.5 : double(kInf));
}

double ssdD(const SsdData &d, int64_t h, int64_t p) {
  return d.dMode == 0 ? 0.0 : d.dMode == 1 ? d.Dv[h] : d.Dv[h * d.P + p];
}

/// The chunked algorithm of mamba-reference.md 1.4 in f64, stage by stage
/// (chunk cumsum, chunk state, state passing, bmm, chunk scan), with
/// Triton's seq_idx rules. One deliberate difference: CB is also masked
/// between two distinct padding tokens (label < 0), which Triton lets see
/// each other inside a chunk; the CPU kernel defines padding tokens as
/// isolated.
void refSsdChunked(const SsdData &d, int64_t Q, DVec &out, DVec &fin) {
  const int64_t L = d.L, H = d.H, P = d.P, G = d.G, N = d.N;
  const int64_t T = (L + Q - 1) / Q;
  out.assign(d.Bt * L * H * P, 0.0);
  fin.assign(d.Bt * H * P * N, 0.0);
  auto label = [&](int64_t b, int64_t t) -> int32_t {
    return d.hasSeq ? d.seq[b * L + t] : 0;
  };
  for (int64_t b = 0; b < d.Bt; ++b)
    for (int64_t h = 0; h < H; ++h) {
      const int64_t g = h / (H / G);
      auto xAt = [&](int64_t t, int64_t p) {
        return double(d.x[((b * L + t) * H + h) * P + p]);
      };
      auto bAt = [&](int64_t t, int64_t n) {
        return double(d.B[((b * L + t) * G + g) * N + n]);
      };
      auto cAt = [&](int64_t t, int64_t n) {
        return double(d.C[((b * L + t) * G + g) * N + n]);
      };
      // 1. Chunk cumsum; positions past L get dt = 0.
      DVec dtc(T * Q, 0.0), cs(T * Q, 0.0);
      for (int64_t c = 0; c < T; ++c)
        for (int64_t i = 0; i < Q; ++i) {
          const int64_t t = c * Q + i;
          dtc[c * Q + i] = t < L ? ssdStep(d, b, t, h) : 0.0;
          cs[c * Q + i] =
              (i ? cs[c * Q + i - 1] : 0.0) + d.A[h] * dtc[c * Q + i];
        }
      auto len = [&](int64_t c) { return std::min(Q, L - c * Q); };
      // 2. Chunk state: each chunk on its own, from zero, keeping only the
      // tokens of the label of its last token (when that label is >= 0).
      DVec local(T * P * N, 0.0);
      for (int64_t c = 0; c < T; ++c) {
        const int32_t last = label(b, c * Q + len(c) - 1);
        for (int64_t j = 0; j < len(c); ++j) {
          if (d.hasSeq && (last < 0 || label(b, c * Q + j) != last))
            continue;
          const double scale =
              std::exp(std::min(cs[c * Q + Q - 1] - cs[c * Q + j], 0.0)) *
              dtc[c * Q + j];
          for (int64_t p = 0; p < P; ++p)
            for (int64_t n = 0; n < N; ++n)
              local[(c * P + p) * N + n] +=
                  scale * xAt(c * Q + j, p) * bAt(c * Q + j, n);
        }
      }
      // 3. State passing over chunks; the carry is dropped when the label
      // at the end of a chunk differs from the previous chunk's (0 before
      // the first chunk).
      DVec prev(T * P * N), state(P * N, 0.0);
      for (int64_t i = 0; i < P * N && d.hasInit; ++i)
        state[i] = d.init[(b * H + h) * P * N + i];
      int32_t prevLabel = 0;
      for (int64_t c = 0; c < T; ++c) {
        std::copy(state.begin(), state.end(), prev.begin() + c * P * N);
        const int32_t now = label(b, c * Q + len(c) - 1);
        double scale = std::exp(cs[c * Q + Q - 1]);
        if (d.hasSeq && now != prevLabel)
          scale = 0.0;
        prevLabel = now;
        for (int64_t i = 0; i < P * N; ++i)
          state[i] = scale * state[i] + local[c * P * N + i];
      }
      std::copy(state.begin(), state.end(), fin.begin() + (b * H + h) * P * N);
      for (int64_t c = 0; c < T; ++c) {
        // 4. bmm: CB[i, j] = C_i . B_j, masked by label.
        DVec cb(Q * Q, 0.0);
        for (int64_t i = 0; i < len(c); ++i)
          for (int64_t j = 0; j < len(c); ++j) {
            const int32_t li = label(b, c * Q + i), lj = label(b, c * Q + j);
            if (d.hasSeq && (li != lj || (li < 0 && i != j)))
              continue;
            for (int64_t n = 0; n < N; ++n)
              cb[i * Q + j] += cAt(c * Q + i, n) * bAt(c * Q + j, n);
          }
        // 5. Chunk scan: inter-chunk term for rows of the label before the
        // chunk, causal intra-chunk term, skip term, gate.
        const int32_t before = c == 0 ? 0 : label(b, c * Q - 1);
        for (int64_t i = 0; i < len(c); ++i) {
          const int64_t t = c * Q + i;
          const bool inter = !d.hasSeq || label(b, t) == before;
          for (int64_t p = 0; p < P; ++p) {
            double y = 0.0;
            if (inter) {
              double dot = 0.0;
              for (int64_t n = 0; n < N; ++n)
                dot += cAt(t, n) * prev[(c * P + p) * N + n];
              y += std::exp(cs[c * Q + i]) * dot;
            }
            for (int64_t j = 0; j <= i; ++j)
              y += cb[i * Q + j] *
                   std::exp(std::min(cs[c * Q + i] - cs[c * Q + j], 0.0)) *
                   dtc[c * Q + j] * xAt(c * Q + j, p);
            y += ssdD(d, h, p) * xAt(t, p);
            if (d.hasZ)
              y *= siluD(d.z[((b * L + t) * H + h) * P + p]);
            out[((b * L + t) * H + h) * P + p] = y;
          }
        }
      }
    }
}

/// Labels for two batch rows of an SSD test: row 0 has packed sequences
/// from label 0 (a change mid-chunk, one at a chunk boundary) and trailing
/// padding longer than a chunk of 16; row 1 starts at label 1, so the
/// initial states never apply to it.
Labels ssdLabels(int64_t L, int64_t Q) {
  Labels s = packedLabels(L, {Q / 2 + 3, 2 * Q}, L > 40 ? L - 18 : L);
  Labels r1 = packedLabels(L, {L / 3 + 1}, L, 1);
  s.insert(s.end(), r1.begin(), r1.end());
  return s;
}

TEST(CpuSsd, MatchesChunkedReference) {
  MaxError err("ssd vs chunked f64 (Q 16, 64)");
  std::mt19937_64 rng(12);
  for (int64_t Q : {16, 64})
    for (int64_t L : {1, 23, 100, 150})
      for (int64_t G : {1, 2})
        for (int preset = 0; preset < 4; ++preset) {
          SsdData d = makeSsd(rng, 2, L, 4, 5, G, 7, preset != 2);
          d.dMode = preset == 0 ? 0 : preset == 1 ? 1 : 2;
          d.hasZ = preset == 1 || preset == 3;
          d.hasBias = preset != 0;
          d.limits = preset == 1 || preset == 3;
          d.hasInit = preset != 0;
          d.hasSeq = preset >= 2;
          if (d.hasSeq)
            d.seq = ssdLabels(L, Q);
          Vec out, fin;
          DVec refOut, refFin;
          runSsd(d, out, fin);
          refSsdChunked(d, Q, refOut, refFin);
          const std::string ctx =
              "Q=" + std::to_string(Q) + " L=" + std::to_string(L) +
              " G=" + std::to_string(G) + " preset=" + std::to_string(preset);
          err.check(out, refOut, ctx + " out");
          err.check(fin, refFin, ctx + " final states");
        }
}

/// The reference's own ssd_selective_scan cross-check: SSD is a Mamba-1
/// scan with A[h*P+p, n] = A_h and the step shared by the head's channels.
TEST(CpuSsd, EqualsSelectiveScan) {
  MaxError err("ssd vs selective_scan");
  std::mt19937_64 rng(13);
  const int64_t Bt = 2, H = 3, P = 4, N = 8, D = H * P;
  for (int64_t G : {1, 3})
    for (int64_t L : {1, 33, 130}) {
      SsdData d = makeSsd(rng, Bt, L, H, P, G, N, true);
      d.dMode = 2;
      d.hasZ = d.hasBias = d.hasInit = true;
      Vec out, fin;
      runSsd(d, out, fin);

      // Only the per-channel expansions of dt, A and dt_bias are copies;
      // everything else is a view of the SSD buffers.
      Vec delta(Bt * D * L), A(D * N), bias(D);
      for (int64_t c = 0; c < D; ++c) {
        for (int64_t n = 0; n < N; ++n)
          A[c * N + n] = d.A[c / P];
        bias[c] = d.bias[c / P];
        for (int64_t b = 0; b < Bt; ++b)
          for (int64_t t = 0; t < L; ++t)
            delta[(b * D + c) * L + t] = d.dt[(b * L + t) * H + c / P];
      }
      Vec scanOut(out.size(), NAN), last(fin.size(), NAN);
      SelectiveScanArgs a;
      a.batch = Bt;
      a.channels = D;
      a.seqlen = L;
      a.dstate = N;
      a.groupsB = a.groupsC = G;
      a.deltaSoftplus = true;
      a.u = View(d.x.data(), L * D, 1, D);
      a.delta = View(delta.data(), D * L, L, 1);
      a.A = View(A.data(), N, 1);
      a.B = View(d.B.data(), L * G * N, N, 1, G * N);
      a.C = View(d.C.data(), L * G * N, N, 1, G * N);
      a.D = View(d.Dv.data(), 1);
      a.z = View(d.z.data(), L * D, 1, D);
      a.deltaBias = View(bias.data(), 1);
      a.initialState = View(d.init.data(), D * N, N, 1);
      a.out = View(scanOut.data(), L * D, 1, D);
      a.lastState = View(last.data(), D * N, N, 1);
      selectiveScan(a);
      const std::string ctx =
          "G=" + std::to_string(G) + " L=" + std::to_string(L);
      err.check(out, scanOut, ctx + " out");
      err.check(fin, last, ctx + " final states");
    }
}

/// Sequential f64 recurrence with the documented seq_idx rules, for label
/// patterns the chunked reference handles differently or not at all.
void refSsdSequential(const SsdData &d, DVec &out, DVec &fin) {
  const int64_t L = d.L, H = d.H, P = d.P, G = d.G, N = d.N;
  out.assign(d.Bt * L * H * P, 0.0);
  fin.assign(d.Bt * H * P * N, 0.0);
  for (int64_t b = 0; b < d.Bt; ++b)
    for (int64_t h = 0; h < H; ++h) {
      const int64_t g = h / (H / G);
      DVec S(P * N, 0.0);
      for (int64_t i = 0; i < P * N && d.hasInit; ++i)
        S[i] = d.init[(b * H + h) * P * N + i];
      int32_t prev = 0;
      for (int64_t t = 0; t < L; ++t) {
        const int32_t lab = d.seq[b * L + t];
        if (lab != prev || lab < 0)
          std::fill(S.begin(), S.end(), 0.0);
        prev = lab;
        const double dt = ssdStep(d, b, t, h);
        for (int64_t p = 0; p < P; ++p) {
          const double x = d.x[((b * L + t) * H + h) * P + p];
          double y = ssdD(d, h, p) * x;
          for (int64_t n = 0; n < N; ++n) {
            double &s = S[p * N + n];
            s = std::exp(dt * d.A[h]) * s +
                dt * x * d.B[((b * L + t) * G + g) * N + n];
            y += s * d.C[((b * L + t) * G + g) * N + n];
          }
          if (d.hasZ)
            y *= siluD(d.z[((b * L + t) * H + h) * P + p]);
          out[((b * L + t) * H + h) * P + p] = y;
        }
      }
      if (L > 0 && d.seq[b * L + L - 1] < 0)
        std::fill(S.begin(), S.end(), 0.0);
      std::copy(S.begin(), S.end(), fin.begin() + (b * H + h) * P * N);
    }
}

TEST(CpuSsd, SeqIdxPaddingAndInitialStates) {
  MaxError err("ssd seq_idx edge cases vs sequential f64");
  std::mt19937_64 rng(14);
  const std::vector<Labels> patterns = {
      {-1, -1, 0, 0, 0, 1, 1, 1, 1},  // leading padding: init unused
      {2, 2, 2, 3, 3, 3, 3, 3, 3},    // no label 0: init unused
      {0, 0, 0, 0, 0, 0, 0, -1, -1},  // trailing padding: final state 0
      {0, 0, -1, -1, -1, 1, 1, 1, 1}, // padding between sequences
      {-1, -1, -1, -1, -1, -1, -1, -1, -1},
  };
  for (const Labels &pattern : patterns) {
    SsdData d = makeSsd(rng, 1, int64_t(pattern.size()), 2, 3, 1, 4, true);
    d.dMode = 1;
    d.hasZ = d.hasBias = d.hasInit = d.hasSeq = true;
    d.seq = pattern;
    Vec out, fin;
    DVec refOut, refFin;
    runSsd(d, out, fin);
    refSsdSequential(d, refOut, refFin);
    std::string ctx = "labels";
    for (int32_t l : pattern)
      ctx += " " + std::to_string(l);
    err.check(out, refOut, ctx + " out");
    if (pattern.back() < 0)
      EXPECT_TRUE(std::all_of(fin.begin(), fin.end(), [](float v) {
        return v == 0.0f;
      })) << ctx;
    else
      err.check(fin, refFin, ctx + " final states");
    // A padding token sees only itself: y = dt (C . B) x + D x, gated.
    for (int64_t t = 0; t < d.L; ++t) {
      if (pattern[t] >= 0)
        continue;
      for (int64_t h = 0; h < 2; ++h)
        for (int64_t p = 0; p < 3; ++p) {
          const double dt = ssdStep(d, 0, t, h);
          double cb = 0.0;
          for (int64_t n = 0; n < 4; ++n)
            cb += double(d.C[t * 4 + n]) * d.B[t * 4 + n];
          const double x = d.x[(t * 2 + h) * 3 + p];
          const double y =
              (dt * cb * x + d.Dv[h] * x) * siluD(d.z[(t * 2 + h) * 3 + p]);
          EXPECT_NEAR(out[(t * 2 + h) * 3 + p], y, 1e-5 * (1 + std::abs(y)))
              << ctx << " t=" << t;
        }
    }
  }
}

TEST(CpuSsd, DefaultLimitsClampNegativeSteps) {
  std::mt19937_64 rng(15);
  // Without softplus a negative step is clamped to 0: the state passes
  // unchanged (decay 1, no input).
  SsdData d = makeSsd(rng, 1, 3, 2, 3, 1, 4, false);
  d.dt = randomVec(rng, 3 * 2, -2, -0.5f);
  d.hasInit = true;
  Vec out, fin;
  runSsd(d, out, fin);
  EXPECT_EQ(fin, d.init);
  for (int64_t t = 0; t < 3; ++t)
    for (int64_t h = 0; h < 2; ++h)
      for (int64_t p = 0; p < 3; ++p) {
        double y = 0.0;
        for (int64_t n = 0; n < 4; ++n)
          y += double(d.init[(h * 3 + p) * 4 + n]) * d.C[t * 4 + n];
        EXPECT_NEAR(out[(t * 2 + h) * 3 + p], y, 1e-6);
      }
}

TEST(CpuSsd, StridedViewsEqualContiguous) {
  std::mt19937_64 rng(16);
  for (int64_t L : {1, 8, 45}) {
    const int64_t Bt = 2, H = 4, P = 3, G = 2, N = 5, HP = H * P;
    SsdData d = makeSsd(rng, Bt, L, H, P, G, N, true);
    d.dMode = 1;
    d.hasZ = d.hasBias = d.hasInit = d.hasSeq = true;
    d.limits = true;
    Labels r0 = packedLabels(L, {L / 2}, L - L / 5);
    Labels r1 = packedLabels(L, {1}, L, 1);
    d.seq = r0;
    d.seq.insert(d.seq.end(), r1.begin(), r1.end());
    Vec out, fin;
    runSsd(d, out, fin);

    // Mamba-2's in_proj output (Bt, L, [z | x | B | C | dt]) holds every
    // per-token input; seq_idx is stored (L, Bt), the initial states
    // (Bt, H, N, P), and the output goes to a slice of a wider buffer.
    const int64_t E = 2 * HP + 2 * G * N + H;
    Vec zxbcdt(Bt * L * E), initT(Bt * H * N * P);
    Labels seqT(L * Bt);
    for (int64_t b = 0; b < Bt; ++b)
      for (int64_t t = 0; t < L; ++t) {
        float *row = &zxbcdt[(b * L + t) * E];
        for (int64_t i = 0; i < HP; ++i) {
          row[i] = d.z[(b * L + t) * HP + i];
          row[HP + i] = d.x[(b * L + t) * HP + i];
        }
        for (int64_t i = 0; i < G * N; ++i) {
          row[2 * HP + i] = d.B[(b * L + t) * G * N + i];
          row[2 * HP + G * N + i] = d.C[(b * L + t) * G * N + i];
        }
        for (int64_t h = 0; h < H; ++h)
          row[2 * HP + 2 * G * N + h] = d.dt[(b * L + t) * H + h];
        seqT[t * Bt + b] = d.seq[b * L + t];
      }
    for (int64_t b = 0; b < Bt; ++b)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t p = 0; p < P; ++p)
          for (int64_t n = 0; n < N; ++n)
            initT[((b * H + h) * N + n) * P + p] =
                d.init[((b * H + h) * P + p) * N + n];
    const int64_t W = HP + 3;
    Vec wide(Bt * L * W, NAN), finT(Bt * H * N * P, NAN);
    SsdArgs a = ssdArgs(d);
    float *base = zxbcdt.data();
    a.z = View(base, L * E, E, P, 1);
    a.x = View(base + HP, L * E, E, P, 1);
    a.B = View(base + 2 * HP, L * E, E, N, 1);
    a.C = View(base + 2 * HP + G * N, L * E, E, N, 1);
    a.dt = View(base + 2 * HP + 2 * G * N, L * E, E, 1);
    a.seqIdx = indexView(seqT, 1, Bt);
    a.initialStates = View(initT.data(), H * N * P, N * P, 1, P);
    a.out = View(wide.data() + 2, L * W, W, P, 1);
    a.finalStates = View(finT.data(), H * N * P, N * P, 1, P);
    ssd(a);
    for (int64_t b = 0; b < Bt; ++b)
      for (int64_t t = 0; t < L; ++t)
        for (int64_t i = 0; i < HP; ++i)
          EXPECT_EQ(wide[(b * L + t) * W + 2 + i], out[(b * L + t) * HP + i]);
    for (int64_t b = 0; b < Bt; ++b)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t p = 0; p < P; ++p)
          for (int64_t n = 0; n < N; ++n)
            EXPECT_EQ(finT[((b * H + h) * N + n) * P + p],
                      fin[((b * H + h) * P + p) * N + n]);
  }
}

/// Mamba-2 decode (the tied form) steps through a sequence and must
/// reproduce ssd's prefill, including dt limits and per-channel D.
TEST(CpuSelectiveStateUpdate, DecodeEqualsSsd) {
  MaxError err("selective_state_update steps vs ssd");
  std::mt19937_64 rng(17);
  const int64_t Bt = 4, S = 7, H = 4, P = 3, N = 6, HP = H * P;
  for (int64_t G : {1, 2})
    for (int dMode : {1, 2})
      for (int64_t L : {1, 6, 70}) {
        const Labels idx = poolIndices(rng, S, 3);
        SsdData d = makeSsd(rng, Bt, L, H, P, G, N, true);
        d.dMode = dMode;
        d.hasZ = d.hasBias = d.hasInit = d.limits = true;
        Vec out, fin;
        runSsd(d, out, fin);

        Vec pool = randomVec(rng, S * HP * N, -1, 1);
        for (int64_t b = 0; b < 3; ++b)
          std::copy(d.init.begin() + b * HP * N,
                    d.init.begin() + (b + 1) * HP * N,
                    pool.begin() + idx[b] * HP * N);
        const Vec before = pool;
        Vec stepOut(out.size(), NAN);
        SsdArgs s = ssdArgs(d);
        for (int64_t t = 0; t < L; ++t) {
          SelectiveStateUpdateArgs a;
          a.batch = Bt;
          a.heads = H;
          a.headdim = P;
          a.dstate = N;
          a.groups = G;
          a.tiedHead = true;
          a.dtSoftplus = true;
          a.dtMin = 0.05f;
          a.dtMax = 0.5f;
          a.state = View(pool.data(), HP * N, P * N, N, 1);
          a.x = View(d.x.data() + t * HP, L * HP, P, 1);
          a.dt = View(d.dt.data() + t * H, L * H, 1);
          a.A = s.A;
          a.B = View(d.B.data() + t * G * N, L * G * N, N, 1);
          a.C = View(d.C.data() + t * G * N, L * G * N, N, 1);
          a.D = s.D;
          a.z = View(d.z.data() + t * HP, L * HP, P, 1);
          a.dtBias = s.dtBias;
          a.stateIndices = indexView(idx, 1);
          a.out = View(stepOut.data() + t * HP, L * HP, P, 1);
          selectiveStateUpdate(a);
        }
        const std::string ctx = "G=" + std::to_string(G) +
                                " D mode=" + std::to_string(dMode) +
                                " L=" + std::to_string(L);
        for (int64_t t = 0; t < L; ++t)
          for (int64_t i = 0; i < HP; ++i) {
            float &v = stepOut[(3 * L + t) * HP + i];
            EXPECT_EQ(v, 0.0f) << ctx;
            v = out[(3 * L + t) * HP + i];
          }
        err.check(stepOut, out, ctx + " out");
        Vec gotFin, refFin;
        for (int64_t b = 0; b < 3; ++b) {
          gotFin.insert(gotFin.end(), pool.begin() + idx[b] * HP * N,
                        pool.begin() + (idx[b] + 1) * HP * N);
          refFin.insert(refFin.end(), fin.begin() + b * HP * N,
                        fin.begin() + (b + 1) * HP * N);
        }
        err.check(gotFin, refFin, ctx + " state");
        expectUnusedRowsUntouched(pool, before, HP * N, idx, ctx);
      }
}

//===----------------------------------------------------------------------===//
// Norms
//===----------------------------------------------------------------------===//

TEST(CpuRmsNorm, MatchesNaive) {
  MaxError err("rms_norm vs naive f64");
  std::mt19937_64 rng(18);
  for (int64_t rows : {1, 7, 33})
    for (int64_t cols : {5, 771})
      for (int mode = 0; mode < 3; ++mode) {
        // mode 0: no residual; 1: residual, separate residual_out;
        // 2: residual_out written over the residual. x has padded rows.
        const int64_t ld = cols + 3;
        Vec x = randomVec(rng, rows * ld, -2, 2);
        Vec w = randomVec(rng, cols, 0.5f, 1.5f);
        Vec res = randomVec(rng, rows * cols, -2, 2);
        const float eps = 1e-5f;
        DVec refY(rows * cols), refRes(rows * cols);
        for (int64_t r = 0; r < rows; ++r) {
          double ss = 0.0;
          for (int64_t c = 0; c < cols; ++c) {
            const double s =
                double(x[r * ld + c]) + (mode ? res[r * cols + c] : 0.0);
            refRes[r * cols + c] = s;
            ss += s * s;
          }
          const double rstd = 1.0 / std::sqrt(ss / cols + eps);
          for (int64_t c = 0; c < cols; ++c)
            refY[r * cols + c] = refRes[r * cols + c] * rstd * w[c];
        }
        Vec y(rows * cols, NAN), resOut(rows * cols, NAN);
        RmsNormArgs a;
        a.rows = rows;
        a.cols = cols;
        a.eps = eps;
        a.x = View(x.data(), ld, 1);
        a.weight = View(w.data(), 1);
        a.y = View(y.data(), cols, 1);
        if (mode)
          a.residual = View(res.data(), cols, 1);
        if (mode == 1)
          a.residualOut = View(resOut.data(), cols, 1);
        if (mode == 2)
          a.residualOut = a.residual;
        rmsNorm(a);
        const std::string ctx = "rows=" + std::to_string(rows) +
                                " cols=" + std::to_string(cols) +
                                " mode=" + std::to_string(mode);
        err.check(y, refY, ctx + " y");
        if (mode)
          err.check(mode == 1 ? resOut : res, refRes, ctx + " residual_out");
      }
}

TEST(CpuGatedRmsNorm, MatchesNaive) {
  MaxError err("gated_rms_norm vs naive f64");
  std::mt19937_64 rng(19);
  for (int64_t rows : {1, 9})
    for (auto [cols, groupSize] : std::vector<std::pair<int64_t, int64_t>>{
             {24, 24}, {24, 12}, {24, 6}, {770, 385}})
      for (int gate = 0; gate < 3; ++gate) {
        // gate 0: no z; 1: gate before the norm; 2: norm before gate.
        Vec x = randomVec(rng, rows * cols, -2, 2);
        Vec z = randomVec(rng, rows * cols, -3, 3);
        Vec w = randomVec(rng, cols, 0.5f, 1.5f);
        const float eps = 1e-5f;
        DVec ref(rows * cols);
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t c0 = 0; c0 < cols; c0 += groupSize) {
            DVec v(groupSize);
            double ss = 0.0;
            for (int64_t i = 0; i < groupSize; ++i) {
              v[i] = x[r * cols + c0 + i];
              if (gate == 1)
                v[i] *= siluD(z[r * cols + c0 + i]);
              ss += v[i] * v[i];
            }
            const double rstd = 1.0 / std::sqrt(ss / groupSize + eps);
            for (int64_t i = 0; i < groupSize; ++i) {
              double y = v[i] * rstd * w[c0 + i];
              if (gate == 2)
                y *= siluD(z[r * cols + c0 + i]);
              ref[r * cols + c0 + i] = y;
            }
          }
        Vec y(rows * cols, NAN);
        GatedRmsNormArgs a;
        a.rows = rows;
        a.cols = cols;
        a.groupSize = groupSize;
        a.eps = eps;
        a.normBeforeGate = gate == 2;
        a.x = View(x.data(), cols, 1);
        if (gate)
          a.z = View(z.data(), cols, 1);
        a.weight = View(w.data(), 1);
        a.y = View(y.data(), cols, 1);
        gatedRmsNorm(a);
        err.check(y, ref,
                  "rows=" + std::to_string(rows) +
                      " cols=" + std::to_string(cols) +
                      " group=" + std::to_string(groupSize) +
                      " gate=" + std::to_string(gate));
      }
}

//===----------------------------------------------------------------------===//
// linear, embedding
//===----------------------------------------------------------------------===//

TEST(CpuLinear, BlasAndLoopMatchNaive) {
  MaxError err("linear (sgemm and loop) vs naive f64");
  std::mt19937_64 rng(20);
  // 1 and 2 rows run sgemv a row, 5 and 64 sgemm.
  for (int64_t R : {1, 2, 5, 64})
    for (int64_t K : {3, 257})
      for (int64_t M : {7, 130}) {
        Vec x = randomVec(rng, R * K, -1, 1);
        Vec w = randomVec(rng, M * K, -1, 1);
        Vec bias = randomVec(rng, M, -1, 1);
        Vec res = randomVec(rng, R * M, -1, 1);
        // Transposed copies and a copy with every other element of x, for
        // the layouts that the views describe.
        Vec xT(K * R), wT(K * M), xGap(2 * R * K);
        for (int64_t r = 0; r < R; ++r)
          for (int64_t k = 0; k < K; ++k) {
            xT[k * R + r] = x[r * K + k];
            xGap[2 * (r * K + k)] = x[r * K + k];
          }
        for (int64_t m = 0; m < M; ++m)
          for (int64_t k = 0; k < K; ++k)
            wT[k * M + m] = w[m * K + k];
        for (int epi = 0; epi < 4; ++epi) {
          const bool hasBias = epi & 1, hasRes = epi & 2;
          DVec ref(R * M);
          for (int64_t r = 0; r < R; ++r)
            for (int64_t m = 0; m < M; ++m) {
              double acc = 0.0;
              for (int64_t k = 0; k < K; ++k)
                acc += double(x[r * K + k]) * w[m * K + k];
              ref[r * M + m] = acc + (hasBias ? bias[m] : 0.0) +
                               (hasRes ? res[r * M + m] : 0.0);
            }
          // Layouts: 0 all row-major; 1 x and y channel-first (columns
          // contiguous); 2 the weight stored transposed; 3 x with a gap
          // between elements (no unit stride: the loop); 4 as 0 with the
          // residual accumulated in place into y.
          const std::string ctx =
              "R=" + std::to_string(R) + " K=" + std::to_string(K) +
              " M=" + std::to_string(M) + " epilogue=" + std::to_string(epi);
          Vec results[5];
          for (int layout = 0; layout < 5; ++layout) {
            if (layout == 4 && !hasRes)
              continue;
            Vec y(R * M, NAN), yT(M * R, NAN), resCopy = res;
            LinearArgs a;
            a.rows = R;
            a.in = K;
            a.out = M;
            a.x = layout == 1   ? View(xT.data(), 1, R)
                  : layout == 3 ? View(xGap.data(), 2 * K, 2)
                                : View(x.data(), K, 1);
            a.weight =
                layout == 2 ? View(wT.data(), 1, M) : View(w.data(), K, 1);
            a.y = layout == 1   ? View(yT.data(), 1, R)
                  : layout == 4 ? View(resCopy.data(), M, 1)
                                : View(y.data(), M, 1);
            if (hasBias)
              a.bias = View(bias.data(), 1);
            if (hasRes)
              a.residual = layout == 4 ? a.y : View(res.data(), M, 1);
            linear(a);
            Vec &got = results[layout];
            got = layout == 4 ? resCopy : y;
            if (layout == 1)
              for (int64_t r = 0; r < R; ++r)
                for (int64_t m = 0; m < M; ++m)
                  got[r * M + m] = yT[m * R + r];
            err.check(got, ref, ctx + " layout=" + std::to_string(layout));
          }
          // sgemm (layout 0) against the loop (layout 3).
          err.check(results[0], results[3], ctx + " sgemm vs loop");
        }
      }
}

TEST(CpuArgmax, HandComputedRows) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  // Rows of 4 in a stride of 5; the fifth column (a padded vocab row) is
  // the largest and must be ignored.
  Vec x = {1,    3,    2,   3,    99, // tie: the lower column
           nan,  -1,   -2,  nan,  99, // NaN ranks lowest
           nan,  nan,  nan, nan,  99, // no number: 0
           -inf, -inf, -5,  -inf, 99, 0, 0, 0, 0, 99};
  std::vector<int32_t> ids(5, -7);
  argmax(5, 4, View(x.data(), 5, 1), ids.data());
  EXPECT_EQ(ids, (std::vector<int32_t>{1, 1, 0, 2, 0}));
}

TEST(CpuEmbedding, CopiesRowsAndRejectsOutOfRange) {
  std::mt19937_64 rng(21);
  const int64_t V = 11, dim = 6;
  Vec table = randomVec(rng, V * dim, -1, 1);
  const int64_t ids[] = {3, 0, 10, 7};
  Vec out(4 * (dim + 1), NAN);
  // Rows of the output are dim + 1 apart.
  EXPECT_TRUE(embedding(ids, 4, View(table.data(), dim, 1), V, dim,
                        View(out.data(), dim + 1, 1)));
  for (int64_t r = 0; r < 4; ++r)
    for (int64_t j = 0; j < dim; ++j)
      EXPECT_EQ(out[r * (dim + 1) + j], table[ids[r] * dim + j]);

  const int64_t bad[] = {2, 11, -1, 5};
  Vec out2(4 * dim, 123.0f);
  EXPECT_FALSE(embedding(bad, 4, View(table.data(), dim, 1), V, dim,
                         View(out2.data(), dim, 1)));
  for (int64_t j = 0; j < dim; ++j) {
    EXPECT_EQ(out2[0 * dim + j], table[2 * dim + j]);
    EXPECT_EQ(out2[1 * dim + j], 123.0f); // out of range: not written
    EXPECT_EQ(out2[2 * dim + j], 123.0f);
    EXPECT_EQ(out2[3 * dim + j], table[5 * dim + j]);
  }
}

} // namespace
