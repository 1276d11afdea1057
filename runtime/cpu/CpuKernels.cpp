//===- CpuKernels.cpp - reference kernels of every mamba op ---------------===//
//
// Plain loops that follow mamba-reference.md section 1 line by line. The
// recurrences keep their state in f32 like the GPU kernels; the long sums
// (outputs over d_state, norm statistics, naive GEMM dot products) run in f64
// so that the oracle itself does not drift with the length of the sum.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/CpuKernels.h"

#include <cblas.h>

#include <algorithm>
#include <cassert>
#include <climits>
#include <cmath>
#include <vector>

namespace mamba {
namespace cpu {

float softplus(float x) { return x > 20.0f ? x : std::log1p(std::exp(x)); }

float silu(float x) { return x / (1.0f + std::exp(-x)); }

namespace {

/// The processed step of SSD and of the decode step. The clamp is applied
/// even with the default limits (0, inf), as Triton's chunk cumsum does, so
/// a negative step without softplus becomes 0.
float processDt(float dt, bool withSoftplus, float lo, float hi) {
  if (withSoftplus)
    dt = softplus(dt);
  return std::min(std::max(dt, lo), hi);
}

/// `v` advanced by `n` along dim `dim` (an absent view stays absent).
View shifted(View v, int dim, int64_t n) {
  if (v)
    v.data += n * v.stride[dim];
  return v;
}

/// Runs `one` on every sequence of a packed batch: `a` with batch 1, the
/// sequence's length, and its views moved to the sequence's first position
/// and state row by `place(args, start, s)`.
template <typename Args, typename Place, typename Fn>
void forEachPacked(const Args &a, Place place, Fn one) {
  for (int64_t s = 0; s < a.packed.numSeqs; ++s) {
    Args seq = a;
    seq.packed = Packed();
    seq.batch = 1;
    seq.seqlen = a.packed.length(s);
    place(seq, a.packed.start(s), s);
    one(seq);
  }
}

} // namespace

std::string checkPacked(const Packed &p, int64_t seqlen) {
  if (p.numSeqs < 0)
    return "cu_seqlens needs at least one entry";
  if (p.cuSeqlens.at(0) != 0)
    return "cu_seqlens[0] must be 0, got " + std::to_string(p.cuSeqlens.at(0));
  for (int64_t s = 0; s < p.numSeqs; ++s)
    if (p.length(s) < 0)
      return "cu_seqlens must not decrease, got cu_seqlens[" +
             std::to_string(s + 1) + "] = " + std::to_string(p.start(s + 1)) +
             " < cu_seqlens[" + std::to_string(s) +
             "] = " + std::to_string(p.start(s));
  if (p.cuSeqlens.at(p.numSeqs) != seqlen)
    return "cu_seqlens must end at the sequence length " +
           std::to_string(seqlen) + ", got " +
           std::to_string(p.cuSeqlens.at(p.numSeqs));
  return "";
}

//===----------------------------------------------------------------------===//
// causal_conv1d
//===----------------------------------------------------------------------===//

void causalConv1d(const CausalConv1dArgs &a) {
  if (a.packed)
    return forEachPacked(
        a,
        [](CausalConv1dArgs &seq, int64_t start, int64_t s) {
          seq.x = shifted(seq.x, 2, start);
          seq.out = shifted(seq.out, 2, start);
          seq.initialStates = shifted(seq.initialStates, 0, s);
          seq.finalStates = shifted(seq.finalStates, 0, s);
        },
        [](const CausalConv1dArgs &seq) { causalConv1d(seq); });
  const int64_t W = a.width, L = a.seqlen;
  assert(W >= 1 && "conv width must be positive");
  for (int64_t b = 0; b < a.batch; ++b) {
    // Positions before the sequence read the initial states (or zeros) and
    // carry the label -1, so with seq_idx they never reach a real token.
    auto label = [&](int64_t pos) -> int32_t {
      return pos < 0 ? -1 : a.seqIdx.at(b, pos);
    };
    for (int64_t d = 0; d < a.channels; ++d) {
      auto input = [&](int64_t pos) -> float {
        if (pos >= 0)
          return a.x.at(b, d, pos);
        return a.initialStates ? a.initialStates.at(b, d, W - 1 + pos) : 0.0f;
      };
      const float bias = a.bias ? a.bias.at(d) : 0.0f;
      for (int64_t t = 0; t < L; ++t) {
        int32_t own = 0;
        if (a.seqIdx) {
          own = label(t);
          if (own < 0) { // padding: exactly 0, the activation is skipped
            a.out.at(b, d, t) = 0.0f;
            continue;
          }
        }
        float acc = bias;
        for (int64_t w = 0; w < W; ++w) {
          const int64_t pos = t - (W - 1) + w;
          if (a.seqIdx && label(pos) != own)
            continue;
          acc += a.weight.at(d, w) * input(pos);
        }
        a.out.at(b, d, t) = a.silu ? silu(acc) : acc;
      }
      // Written last and in increasing order, so finalStates may alias
      // initialStates: slot k reads slot L + k >= k of the old states.
      if (a.finalStates)
        for (int64_t k = 0; k < W - 1; ++k)
          a.finalStates.at(b, d, k) = input(L - (W - 1) + k);
    }
  }
}

//===----------------------------------------------------------------------===//
// causal_conv1d_update
//===----------------------------------------------------------------------===//

void causalConv1dUpdate(const CausalConv1dUpdateArgs &a) {
  const int64_t W = a.width, K = a.stateLen;
  assert(W >= 1 && K >= W - 1 && "the conv state must hold W-1 inputs");
  for (int64_t b = 0; b < a.batch; ++b) {
    const int64_t row = a.stateIndices ? a.stateIndices.at(b) : b;
    if (row < 0) { // padding row: output 0, no state row changes
      for (int64_t d = 0; d < a.channels; ++d)
        a.out.at(b, d) = 0.0f;
      continue;
    }
    for (int64_t d = 0; d < a.channels; ++d) {
      const float x = a.x.at(b, d);
      float acc = a.bias ? a.bias.at(d) : 0.0f;
      for (int64_t w = 0; w < W - 1; ++w)
        acc += a.weight.at(d, w) * a.convState.at(row, d, K - (W - 1) + w);
      acc += a.weight.at(d, W - 1) * x;
      // Shift register: the state keeps the last K raw inputs.
      for (int64_t k = 0; k + 1 < K; ++k)
        a.convState.at(row, d, k) = a.convState.at(row, d, k + 1);
      if (K > 0)
        a.convState.at(row, d, K - 1) = x;
      a.out.at(b, d) = a.silu ? silu(acc) : acc;
    }
  }
}

//===----------------------------------------------------------------------===//
// selective_scan
//===----------------------------------------------------------------------===//

void selectiveScan(const SelectiveScanArgs &a) {
  if (a.packed)
    return forEachPacked(
        a,
        [](SelectiveScanArgs &seq, int64_t start, int64_t s) {
          for (View *v : {&seq.u, &seq.delta, &seq.z, &seq.out})
            *v = shifted(*v, 2, start);
          if (seq.variableB)
            seq.B = shifted(seq.B, 3, start);
          if (seq.variableC)
            seq.C = shifted(seq.C, 3, start);
          seq.initialState = shifted(seq.initialState, 0, s);
          seq.lastState = shifted(seq.lastState, 0, s);
        },
        [](const SelectiveScanArgs &seq) { selectiveScan(seq); });
  const int64_t D = a.channels, N = a.dstate, L = a.seqlen;
  assert(a.groupsB > 0 && D % a.groupsB == 0 && a.groupsC > 0 &&
         D % a.groupsC == 0 && "groups must divide the channels");
  std::vector<float> state(N);
  for (int64_t b = 0; b < a.batch; ++b) {
    for (int64_t d = 0; d < D; ++d) {
      const int64_t gB = d / (D / a.groupsB), gC = d / (D / a.groupsC);
      for (int64_t n = 0; n < N; ++n)
        state[n] = a.initialState ? a.initialState.at(b, d, n) : 0.0f;
      const float bias = a.deltaBias ? a.deltaBias.at(d) : 0.0f;
      for (int64_t t = 0; t < L; ++t) {
        float dt = a.delta.at(b, d, t) + bias;
        if (a.deltaSoftplus)
          dt = softplus(dt);
        const float u = a.u.at(b, d, t);
        // dt * u once per token, as the CUDA kernel does; the decode step
        // and ssd use the same order, so decode reproduces prefill.
        const float dtu = dt * u;
        double acc = 0.0;
        for (int64_t n = 0; n < N; ++n) {
          const float Bn = a.variableB ? a.B.at(b, gB, n, t) : a.B.at(d, n);
          const float Cn = a.variableC ? a.C.at(b, gC, n, t) : a.C.at(d, n);
          state[n] = std::exp(dt * a.A.at(d, n)) * state[n] + dtu * Bn;
          acc += double(state[n]) * Cn;
        }
        if (a.D)
          acc += double(a.D.at(d)) * u;
        float y = float(acc);
        if (a.z)
          y *= silu(a.z.at(b, d, t));
        a.out.at(b, d, t) = y;
      }
      if (a.lastState)
        for (int64_t n = 0; n < N; ++n)
          a.lastState.at(b, d, n) = state[n];
    }
  }
}

//===----------------------------------------------------------------------===//
// selective_state_update
//===----------------------------------------------------------------------===//

void selectiveStateUpdate(const SelectiveStateUpdateArgs &a) {
  const int64_t H = a.heads, P = a.headdim, N = a.dstate, G = a.groups;
  assert(G > 0 && (H * P) % G == 0 && "groups must divide the channels");
  // Groups split the H*P channels evenly: head h reads group h / (H/G) when
  // G divides H, and the Mamba-1 form (H = 1) splits its D channels.
  const int64_t channelsPerGroup = H * P / G;
  for (int64_t b = 0; b < a.batch; ++b) {
    const int64_t row = a.stateIndices ? a.stateIndices.at(b) : b;
    if (row < 0) { // padding row: output 0, no state row changes
      for (int64_t h = 0; h < H; ++h)
        for (int64_t p = 0; p < P; ++p)
          a.out.at(b, h, p) = 0.0f;
      continue;
    }
    for (int64_t h = 0; h < H; ++h) {
      // The tied form reads dt, dt_bias and A once per head.
      float headDt = 0.0f, headDecay = 0.0f;
      if (a.tiedHead) {
        headDt = processDt(a.dt.at(b, h) + (a.dtBias ? a.dtBias.at(h) : 0.0f),
                           a.dtSoftplus, a.dtMin, a.dtMax);
        headDecay = std::exp(headDt * a.A.at(h));
      }
      for (int64_t p = 0; p < P; ++p) {
        const int64_t g = (h * P + p) / channelsPerGroup;
        const float dt =
            a.tiedHead ? headDt
                       : processDt(a.dt.at(b, h, p) +
                                       (a.dtBias ? a.dtBias.at(h, p) : 0.0f),
                                   a.dtSoftplus, a.dtMin, a.dtMax);
        const float x = a.x.at(b, h, p);
        const float dtx = dt * x;
        double acc = 0.0;
        for (int64_t n = 0; n < N; ++n) {
          const float decay =
              a.tiedHead ? headDecay : std::exp(dt * a.A.at(h, p, n));
          float &s = a.state.at(row, h, p, n);
          s = decay * s + dtx * a.B.at(b, g, n);
          acc += double(s) * a.C.at(b, g, n);
        }
        if (a.D)
          acc += double(a.D.at(h, p)) * x;
        float y = float(acc);
        if (a.z)
          y *= silu(a.z.at(b, h, p));
        a.out.at(b, h, p) = y;
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// ssd
//===----------------------------------------------------------------------===//

void ssd(const SsdArgs &a) {
  if (a.packed)
    return forEachPacked(
        a,
        [](SsdArgs &seq, int64_t start, int64_t s) {
          for (View *v : {&seq.x, &seq.dt, &seq.B, &seq.C, &seq.z, &seq.out})
            *v = shifted(*v, 1, start);
          seq.initialStates = shifted(seq.initialStates, 0, s);
          seq.finalStates = shifted(seq.finalStates, 0, s);
        },
        [](const SsdArgs &seq) { ssd(seq); });
  const int64_t H = a.heads, P = a.headdim, N = a.dstate, G = a.groups;
  assert(G > 0 && H % G == 0 && "groups must divide the heads");
  std::vector<float> S(P * N);
  for (int64_t b = 0; b < a.batch; ++b) {
    for (int64_t h = 0; h < H; ++h) {
      const int64_t g = h / (H / G);
      const float A = a.A.at(h);
      const float bias = a.dtBias ? a.dtBias.at(h) : 0.0f;
      for (int64_t p = 0; p < P; ++p)
        for (int64_t n = 0; n < N; ++n)
          S[p * N + n] =
              a.initialStates ? a.initialStates.at(b, h, p, n) : 0.0f;
      // The label before the first token is 0, so the initial states belong
      // to the sequence labelled 0 and are dropped when the first label
      // differs.
      int32_t prevLabel = 0;
      for (int64_t t = 0; t < a.seqlen; ++t) {
        int32_t label = 0;
        if (a.seqIdx) {
          label = a.seqIdx.at(b, t);
          if (label != prevLabel)
            std::fill(S.begin(), S.end(), 0.0f);
          prevLabel = label;
        }
        const float dt =
            processDt(a.dt.at(b, t, h) + bias, a.dtSoftplus, a.dtMin, a.dtMax);
        const float decay = std::exp(dt * A);
        for (int64_t p = 0; p < P; ++p) {
          const float x = a.x.at(b, t, h, p);
          const float dtx = dt * x;
          float *row = &S[p * N];
          double acc = 0.0;
          for (int64_t n = 0; n < N; ++n) {
            row[n] = decay * row[n] + dtx * a.B.at(b, t, g, n);
            acc += double(row[n]) * a.C.at(b, t, g, n);
          }
          if (a.D)
            acc += double(a.D.at(h, p)) * x;
          float y = float(acc);
          if (a.z)
            y *= silu(a.z.at(b, t, h, p));
          a.out.at(b, t, h, p) = y;
        }
        // A padding token (negative label) is a sequence of its own: it saw
        // a zero state and passes a zero state on, also to finalStates.
        if (label < 0)
          std::fill(S.begin(), S.end(), 0.0f);
      }
      if (a.finalStates)
        for (int64_t p = 0; p < P; ++p)
          for (int64_t n = 0; n < N; ++n)
            a.finalStates.at(b, h, p, n) = S[p * N + n];
    }
  }
}

//===----------------------------------------------------------------------===//
// Norms
//===----------------------------------------------------------------------===//

void argmax(int64_t rows, int64_t cols, View x, int32_t *ids) {
  for (int64_t r = 0; r < rows; ++r) {
    int64_t best = -1;
    float value = 0.0f;
    for (int64_t c = 0; c < cols; ++c) {
      float v = x.at(r, c);
      if (!std::isnan(v) && (best < 0 || v > value)) {
        best = c;
        value = v;
      }
    }
    ids[r] = int32_t(best < 0 ? 0 : best);
  }
}

void rmsNorm(const RmsNormArgs &a) {
  // The pre-norm sum goes through a row buffer, so y and residualOut may
  // alias x or residual.
  std::vector<float> s(a.cols);
  for (int64_t r = 0; r < a.rows; ++r) {
    double sumSq = 0.0;
    for (int64_t c = 0; c < a.cols; ++c) {
      float v = a.x.at(r, c);
      if (a.residual)
        v += a.residual.at(r, c);
      s[c] = v;
      sumSq += double(v) * v;
    }
    const float rstd = float(1.0 / std::sqrt(sumSq / double(a.cols) + a.eps));
    if (a.residualOut)
      for (int64_t c = 0; c < a.cols; ++c)
        a.residualOut.at(r, c) = s[c];
    for (int64_t c = 0; c < a.cols; ++c)
      a.y.at(r, c) = s[c] * rstd * a.weight.at(c);
  }
}

void gatedRmsNorm(const GatedRmsNormArgs &a) {
  assert(a.groupSize > 0 && a.cols % a.groupSize == 0 &&
         "the group size must divide the columns");
  std::vector<float> v(a.cols);
  const bool gateFirst = a.z && !a.normBeforeGate;
  const bool gateLast = a.z && a.normBeforeGate;
  for (int64_t r = 0; r < a.rows; ++r) {
    for (int64_t c = 0; c < a.cols; ++c) {
      v[c] = a.x.at(r, c);
      if (gateFirst)
        v[c] *= silu(a.z.at(r, c));
    }
    for (int64_t c0 = 0; c0 < a.cols; c0 += a.groupSize) {
      double sumSq = 0.0;
      for (int64_t c = c0; c < c0 + a.groupSize; ++c)
        sumSq += double(v[c]) * v[c];
      const float rstd =
          float(1.0 / std::sqrt(sumSq / double(a.groupSize) + a.eps));
      for (int64_t c = c0; c < c0 + a.groupSize; ++c) {
        float y = v[c] * rstd * a.weight.at(c);
        if (gateLast)
          y *= silu(a.z.at(r, c));
        a.y.at(r, c) = y;
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// linear, embedding
//===----------------------------------------------------------------------===//

namespace {

/// A (rows x cols) view as cblas sees it: op(M) of a row-major matrix M with
/// leading dimension `ld`, where op transposes when the view is unit-stride
/// along its rows (a column-major matrix).
struct BlasOperand {
  bool usable = false;
  bool transposed = false;
  int ld = 0;
};

BlasOperand blasOperand(const View &v, int64_t rows, int64_t cols) {
  BlasOperand m;
  auto fits = [](int64_t ld, int64_t minimum) {
    return ld >= std::max<int64_t>(minimum, 1) && ld <= INT_MAX;
  };
  if (v.stride[1] == 1) {
    const int64_t ld = rows == 1 ? std::max<int64_t>(cols, 1) : v.stride[0];
    if (fits(ld, cols))
      m = {true, false, int(ld)};
  } else if (v.stride[0] == 1) {
    const int64_t ld = cols == 1 ? std::max<int64_t>(rows, 1) : v.stride[1];
    if (fits(ld, rows))
      m = {true, true, int(ld)};
  }
  return m;
}

CBLAS_TRANSPOSE op(bool transposed) {
  return transposed ? CblasTrans : CblasNoTrans;
}

} // namespace

/// Below this many rows linear() runs one sgemv a row instead of sgemm.
constexpr int64_t kGemvRows = 3;

void linear(const LinearArgs &a) {
  const int64_t R = a.rows, K = a.in, M = a.out;
  const BlasOperand x = blasOperand(a.x, R, K);
  const BlasOperand w = blasOperand(a.weight, M, K);
  const BlasOperand y = blasOperand(a.y, R, M);
  const bool dimsFit =
      R > 0 && K > 0 && M > 0 && R <= INT_MAX && K <= INT_MAX && M <= INT_MAX;
  if (dimsFit && x.usable && w.usable && y.usable) {
    // The epilogue goes in first and sgemm accumulates onto it (beta = 1),
    // which also lets the residual alias y.
    const bool epilogue = a.bias || a.residual;
    if (epilogue)
      for (int64_t r = 0; r < R; ++r)
        for (int64_t m = 0; m < M; ++m)
          a.y.at(r, m) = (a.bias ? a.bias.at(m) : 0.0f) +
                         (a.residual ? a.residual.at(r, m) : 0.0f);
    const float beta = epilogue ? 1.0f : 0.0f;
    if (R < kGemvRows) {
      // A few rows (the decode step): a matrix-vector product a row. sgemm
      // packs the whole weight on every call, which at one row costs more
      // than the product itself.
      const int wRows = int(w.transposed ? K : M),
                wCols = int(w.transposed ? M : K);
      const int incx = x.transposed ? x.ld : 1, incy = y.transposed ? y.ld : 1;
      for (int64_t r = 0; r < R; ++r)
        cblas_sgemv(CblasRowMajor, op(w.transposed), wRows, wCols, 1.0f,
                    a.weight.data, w.ld,
                    a.x.data + (x.transposed ? r : r * x.ld), incx, beta,
                    a.y.data + (y.transposed ? r : r * y.ld), incy);
      return;
    }
    if (!y.transposed) {
      // Y = X W^T.
      cblas_sgemm(CblasRowMajor, op(x.transposed), op(!w.transposed), int(R),
                  int(M), int(K), 1.0f, a.x.data, x.ld, a.weight.data, w.ld,
                  beta, a.y.data, y.ld);
    } else {
      // Y is column-major: compute Y^T = W X^T into it.
      cblas_sgemm(CblasRowMajor, op(w.transposed), op(!x.transposed), int(M),
                  int(R), int(K), 1.0f, a.weight.data, w.ld, a.x.data, x.ld,
                  beta, a.y.data, y.ld);
    }
    return;
  }
  for (int64_t r = 0; r < R; ++r)
    for (int64_t m = 0; m < M; ++m) {
      double acc = 0.0;
      for (int64_t k = 0; k < K; ++k)
        acc += double(a.x.at(r, k)) * a.weight.at(m, k);
      if (a.bias)
        acc += a.bias.at(m);
      if (a.residual)
        acc += a.residual.at(r, m);
      a.y.at(r, m) = float(acc);
    }
}

bool embedding(const int64_t *ids, int64_t rows, View table, int64_t vocab,
               int64_t dim, View out) {
  bool ok = true;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t id = ids[r];
    if (id < 0 || id >= vocab) {
      ok = false;
      continue;
    }
    for (int64_t j = 0; j < dim; ++j)
      out.at(r, j) = table.at(id, j);
  }
  return ok;
}

} // namespace cpu
} // namespace mamba
