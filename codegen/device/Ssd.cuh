//===- Ssd.cuh - the fused Mamba-2 SSD kernel body ------------------------===//
//
// One launch computes the whole chunked scan (the reference uses five). Grid:
// (H * P / kPTile, Bt). Block: kWarps * 32 threads, kChunk = 16 * kWarps.
//
// A block owns (batch b, head h, channels [p0, p0 + kPTile) of the head) and
// walks the chunks in order. The kPTile x N state H stays in f32 registers
// (as MMA accumulator fragments) across chunks, so inter-chunk states never
// go through global memory. For each chunk of Q positions, with
// cs = cumsum(dt * A) and dt the processed step:
//
//   M[i,j] = (C_i . B_j) * exp(cs_i - cs_j) * dt_j     for j <= i  (Q x Q)
//   Y      = M X + diag(exp(cs)) C H^T                 (Q x kPTile)
//   out    = (Y + D x) * silu(z)
//   H      = exp(cs_last) H + (X * exp(cs_last - cs) * dt)^T B
//
// The three products run on tensor cores (Mma.cuh); each warp owns 16 rows
// of the chunk and a slice of the state. Exponents are clamped at 0 as in the
// reference, so masked or padded terms cannot overflow. Positions past the
// end get dt = 0 (decay 1, no input). With seq_idx, tokens of different
// labels never interact: M is masked by label, the inter-chunk term applies
// to rows whose label equals that of the token before the chunk, and the
// state restarts from zero when the label changes.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"
#include "mamba/Mma.cuh"
#include "mamba/SsdLayout.h"

namespace mamba {
namespace device {

template <typename Cfg>
__device__ __forceinline__ void ssd(const SsdParams &p) {
  using T = typename Cfg::input_t;
  using Ops = Mma<T>;
  constexpr int kN = Cfg::kDState;
  constexpr int kP = Cfg::kHeadDim;
  constexpr int kBP = Cfg::kPTile;
  constexpr int kQ = Cfg::kChunk;
  constexpr int kWarps = Cfg::kWarps;
  constexpr int kThreads = kWarps * 32;
  static_assert(kQ == 16 * kWarps, "each warp owns 16 rows of a chunk");
  constexpr SsdLayout kL = ssd_layout(kQ, kN, kBP, sizeof(T), Cfg::kHasSeqIdx);
  // The state's (kBP / 16) x (kN / 8) MMA tiles: rows split first.
  constexpr int kMTiles = kBP / 16;
  constexpr int kHM = kMTiles >= kWarps ? kMTiles / kWarps : 1;
  constexpr int kHN = kMTiles >= kWarps ? kN / 8 : (kN / 8) / (kWarps / kMTiles);
  constexpr int kVec = 16 / sizeof(T);

  extern __shared__ __align__(16) unsigned char smem[];
  T *s_C = reinterpret_cast<T *>(smem + kL.c);
  T *s_B = reinterpret_cast<T *>(smem + kL.b);
  T *s_X = reinterpret_cast<T *>(smem + kL.x);
  T *s_M = reinterpret_cast<T *>(smem + kL.m);
  T *s_H = reinterpret_cast<T *>(smem + kL.h);
  float *s_dt = reinterpret_cast<float *>(smem + kL.dt);
  float *s_cs = reinterpret_cast<float *>(smem + kL.cs);
  int *s_seq = reinterpret_cast<int *>(smem + kL.seq);

  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  const int g8 = lane >> 2, t4 = lane & 3;
  const int h = blockIdx.x / (kP / kBP);
  const int p0 = (blockIdx.x % (kP / kBP)) * kBP;
  const int grp = h / (Cfg::kHeads / Cfg::kGroups);
  const index_t b = blockIdx.y;
  const float A = p.A[h];
  const float dt_bias =
      Cfg::kHasDtBias ? to_float(static_cast<const typename Cfg::dtbias_t *>(
                            p.dt_bias)[h])
                      : 0.0f;

  // This warp's slice of the state.
  const int h_m0 = kMTiles >= kWarps ? warp * kHM * 16 : (warp % kMTiles) * 16;
  const int h_n0 = kMTiles >= kWarps ? 0 : (warp / kMTiles) * kHN * 8;
  float H[kHM][kHN][4];
#pragma unroll
  for (int mt = 0; mt < kHM; ++mt)
#pragma unroll
    for (int nt = 0; nt < kHN; ++nt)
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const int row = h_m0 + mt * 16 + g8 + (e >= 2 ? 8 : 0);
        const int col = h_n0 + nt * 8 + 2 * t4 + (e & 1);
        H[mt][nt][e] =
            Cfg::kHasInitialStates
                ? p.initial_states[(((b * Cfg::kHeads) + h) * kP + p0 + row) *
                                       kN +
                                   col]
                : 0.0f;
        s_H[row * kL.ld_n + col] = from_float<T>(H[mt][nt][e]);
      }

  const T *x_base = static_cast<const T *>(p.x) + b * p.x_batch_stride +
                    h * p.x_head_stride + p0;
  const T *z_base = static_cast<const T *>(p.z) + b * p.z_batch_stride +
                    h * p.z_head_stride + p0;
  T *out_base = static_cast<T *>(p.out) + b * p.out_batch_stride +
                h * p.out_head_stride + p0;
  const T *B_base = static_cast<const T *>(p.B) + b * p.B_batch_stride +
                    grp * p.B_group_stride;
  const T *C_base = static_cast<const T *>(p.C) + b * p.C_batch_stride +
                    grp * p.C_group_stride;
  const typename Cfg::dt_t *dt_base =
      static_cast<const typename Cfg::dt_t *>(p.dt) + b * p.dt_batch_stride +
      h * p.dt_head_stride;
  // 16-byte loads need 16-byte aligned rows at every position.
  const bool vec_x = is_aligned16(x_base) && p.x_l_stride % kVec == 0;
  const bool vec_bc = is_aligned16(B_base) && is_aligned16(C_base) &&
                      p.B_l_stride % kVec == 0 && p.C_l_stride % kVec == 0;

  // The label of the token before the current chunk; initial states belong
  // to the sequence labelled 0.
  int prev_label = 0;

  for (index_t t0 = 0; t0 < p.seqlen; t0 += kQ) {
    const int len = p.seqlen - t0 < kQ ? int(p.seqlen - t0) : kQ;

    // dt, its cumulative sum times A, and the labels of the chunk.
    if (warp == 0) {
      constexpr int kPer = kQ / 32;
      float v[kPer];
      float sum = 0.0f;
#pragma unroll
      for (int k = 0; k < kPer; ++k) {
        const int i = lane * kPer + k;
        float d = 0.0f;
        if (i < len) {
          d = to_float(dt_base[(t0 + i) * p.dt_l_stride]) + dt_bias;
          if (Cfg::kDtSoftplus)
            d = softplus(d);
          if (Cfg::kHasDtLimit)
            d = fminf(fmaxf(d, p.dt_min), p.dt_max);
        }
        s_dt[i] = d;
        sum += d * A;
        v[k] = sum;
        if (Cfg::kHasSeqIdx)
          s_seq[i] = i < len ? p.seq_idx[b * p.seq_idx_batch_stride + t0 + i]
                             : -2147483647;
      }
      // Exclusive scan of the lanes' sums gives each lane its offset.
      float incl = sum;
#pragma unroll
      for (int off = 1; off < 32; off <<= 1) {
        const float o = __shfl_up_sync(0xffffffffu, incl, off);
        if (lane >= off)
          incl += o;
      }
      const float offset = incl - sum;
#pragma unroll
      for (int k = 0; k < kPer; ++k)
        s_cs[lane * kPer + k] = v[k] + offset;
    }

    // Stage C, B (Q x N) and X (Q x kBP), zero past the end.
    for (int idx = threadIdx.x; idx < kQ * (kN / kVec); idx += kThreads) {
      const int i = idx / (kN / kVec), c = (idx % (kN / kVec)) * kVec;
      T *dc = s_C + i * kL.ld_n + c;
      T *db = s_B + i * kL.ld_n + c;
      if (i < len && vec_bc) {
        *reinterpret_cast<uint4 *>(dc) = *reinterpret_cast<const uint4 *>(
            C_base + (t0 + i) * p.C_l_stride + c);
        *reinterpret_cast<uint4 *>(db) = *reinterpret_cast<const uint4 *>(
            B_base + (t0 + i) * p.B_l_stride + c);
      } else {
#pragma unroll
        for (int k = 0; k < kVec; ++k) {
          dc[k] = i < len ? C_base[(t0 + i) * p.C_l_stride + c + k]
                          : from_float<T>(0.0f);
          db[k] = i < len ? B_base[(t0 + i) * p.B_l_stride + c + k]
                          : from_float<T>(0.0f);
        }
      }
    }
    for (int idx = threadIdx.x; idx < kQ * (kBP / kVec); idx += kThreads) {
      const int i = idx / (kBP / kVec), c = (idx % (kBP / kVec)) * kVec;
      T *dx = s_X + i * kL.ld_p + c;
      if (i < len && vec_x) {
        *reinterpret_cast<uint4 *>(dx) = *reinterpret_cast<const uint4 *>(
            x_base + (t0 + i) * p.x_l_stride + c);
      } else {
#pragma unroll
        for (int k = 0; k < kVec; ++k)
          dx[k] = i < len ? x_base[(t0 + i) * p.x_l_stride + c + k]
                          : from_float<T>(0.0f);
      }
    }
    __syncthreads();

    const int m0 = warp * 16; // this warp's rows of the chunk
    const int row_a = m0 + g8, row_b = m0 + g8 + 8;

    // M = mask(C B^T) * decay * dt, only the tiles on or below the diagonal.
    {
      float acc[kQ / 8][4];
#pragma unroll
      for (int nt = 0; nt < kQ / 8; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e)
          acc[nt][e] = 0.0f;
#pragma unroll 2
      for (int k0 = 0; k0 < kN; k0 += 16) {
        typename Ops::FragA fa;
        Ops::template load_a<false>(fa, s_C, kL.ld_n, m0, k0);
#pragma unroll
        for (int nt = 0; nt < kQ / 8; ++nt) {
          if (nt * 8 > m0 + 15)
            continue;
          typename Ops::FragB fb;
          Ops::template load_b<false>(fb, s_B, kL.ld_n, k0, nt * 8);
          Ops::mma(acc[nt], fa, fb);
        }
      }
#pragma unroll
      for (int nt = 0; nt < kQ / 8; ++nt) {
        if (nt * 8 > m0 + 15)
          continue;
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const int i = e >= 2 ? row_b : row_a;
          const int j = nt * 8 + 2 * t4 + (e & 1);
          bool keep = j <= i && i < len;
          // Padding (a negative label) is a sequence of its own per token.
          if (Cfg::kHasSeqIdx)
            keep = keep && s_seq[i] == s_seq[j] && (s_seq[i] >= 0 || i == j);
          const float v =
              keep ? acc[nt][e] * __expf(fminf(s_cs[i] - s_cs[j], 0.0f)) *
                         s_dt[j]
                   : 0.0f;
          s_M[i * kL.ld_q + j] = from_float<T>(v);
        }
      }
    }
    __syncwarp(); // this warp reads only its own rows of M

    // Y = M X + diag(exp(cs)) C H^T, then the epilogue.
    {
      float y[kBP / 8][4];
#pragma unroll
      for (int nt = 0; nt < kBP / 8; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e)
          y[nt][e] = 0.0f;
#pragma unroll 2
      for (int k0 = 0; k0 < kN; k0 += 16) {
        typename Ops::FragA fa;
        Ops::template load_a<false>(fa, s_C, kL.ld_n, m0, k0);
#pragma unroll
        for (int nt = 0; nt < kBP / 8; ++nt) {
          typename Ops::FragB fb;
          Ops::template load_b<false>(fb, s_H, kL.ld_n, k0, nt * 8);
          Ops::mma(y[nt], fa, fb);
        }
      }
      bool inter_a = true, inter_b = true;
      if (Cfg::kHasSeqIdx) {
        // The carried state reaches row i only if no label changes between
        // the token before the chunk and i (labels never decrease, so
        // checking the chunk's first row and row i suffices).
        const bool open = s_seq[0] == prev_label && prev_label >= 0;
        inter_a = open && row_a < len && s_seq[row_a] == prev_label;
        inter_b = open && row_b < len && s_seq[row_b] == prev_label;
      }
      const float scale_a = inter_a ? __expf(fminf(s_cs[row_a], 0.0f)) : 0.0f;
      const float scale_b = inter_b ? __expf(fminf(s_cs[row_b], 0.0f)) : 0.0f;
#pragma unroll
      for (int nt = 0; nt < kBP / 8; ++nt) {
        y[nt][0] *= scale_a;
        y[nt][1] *= scale_a;
        y[nt][2] *= scale_b;
        y[nt][3] *= scale_b;
      }
#pragma unroll
      for (int k0 = 0; k0 < m0 + 16; k0 += 16) {
        typename Ops::FragA fa;
        Ops::template load_a<false>(fa, s_M, kL.ld_q, m0, k0);
#pragma unroll
        for (int nt = 0; nt < kBP / 8; ++nt) {
          typename Ops::FragB fb;
          Ops::template load_b<true>(fb, s_X, kL.ld_p, k0, nt * 8);
          Ops::mma(y[nt], fa, fb);
        }
      }
#pragma unroll
      for (int nt = 0; nt < kBP / 8; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const int i = e >= 2 ? row_b : row_a;
          const int c = nt * 8 + 2 * t4 + (e & 1);
          if (i >= len)
            continue;
          float v = y[nt][e];
          if (Cfg::kHasD) {
            const auto *D = static_cast<const typename Cfg::dparam_t *>(p.D);
            const float d = to_float(Cfg::kDPerChannel ? D[h * kP + p0 + c] : D[h]);
            v += d * to_float(s_X[i * kL.ld_p + c]);
          }
          if (Cfg::kHasZ)
            v *= silu(to_float(z_base[(t0 + i) * p.z_l_stride + c]));
          out_base[(t0 + i) * p.out_l_stride + c] = from_float<T>(v);
        }
    }
    __syncthreads(); // all reads of X, M and the old H are done

    // X_s = X * exp(cs_last - cs) * dt, restricted to the last label.
    const float cs_last = s_cs[len - 1];
    const int last_label = Cfg::kHasSeqIdx ? s_seq[len - 1] : 0;
    for (int idx = threadIdx.x; idx < kQ * kBP; idx += kThreads) {
      const int i = idx / kBP, c = idx % kBP;
      bool keep = i < len;
      if (Cfg::kHasSeqIdx)
        keep = keep && s_seq[i] == last_label && last_label >= 0;
      const float w =
          keep ? __expf(fminf(cs_last - s_cs[i], 0.0f)) * s_dt[i] : 0.0f;
      T *px = s_X + i * kL.ld_p + c;
      *px = from_float<T>(to_float(*px) * w);
    }
    __syncthreads();

    // H = decay * H + X_s^T B; a label change restarts the state.
    const bool carry = !Cfg::kHasSeqIdx ||
                       (last_label == prev_label && s_seq[0] == prev_label &&
                        last_label >= 0);
    const float decay = carry ? __expf(fminf(cs_last, 0.0f)) : 0.0f;
#pragma unroll
    for (int mt = 0; mt < kHM; ++mt)
#pragma unroll
      for (int nt = 0; nt < kHN; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e)
          H[mt][nt][e] *= decay;
#pragma unroll 1
    for (int k0 = 0; k0 < kQ; k0 += 16) {
#pragma unroll
      for (int mt = 0; mt < kHM; ++mt) {
        typename Ops::FragA fa;
        Ops::template load_a<true>(fa, s_X, kL.ld_p, h_m0 + mt * 16, k0);
#pragma unroll
        for (int nt = 0; nt < kHN; ++nt) {
          typename Ops::FragB fb;
          Ops::template load_b<true>(fb, s_B, kL.ld_n, k0, h_n0 + nt * 8);
          Ops::mma(H[mt][nt], fa, fb);
        }
      }
    }
    prev_label = last_label;
    // The rounded copy of H that the next chunk's C H^T reads.
#pragma unroll
    for (int mt = 0; mt < kHM; ++mt)
#pragma unroll
      for (int nt = 0; nt < kHN; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const int row = h_m0 + mt * 16 + g8 + (e >= 2 ? 8 : 0);
          const int col = h_n0 + nt * 8 + 2 * t4 + (e & 1);
          s_H[row * kL.ld_n + col] = from_float<T>(H[mt][nt][e]);
        }
    __syncthreads();
  }

  if (Cfg::kHasFinalStates) {
#pragma unroll
    for (int mt = 0; mt < kHM; ++mt)
#pragma unroll
      for (int nt = 0; nt < kHN; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const int row = h_m0 + mt * 16 + g8 + (e >= 2 ? 8 : 0);
          const int col = h_n0 + nt * 8 + 2 * t4 + (e & 1);
          p.final_states[(((b * Cfg::kHeads) + h) * kP + p0 + row) * kN + col] =
              H[mt][nt][e];
        }
  }
}

} // namespace device
} // namespace mamba
