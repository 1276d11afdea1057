//===- SelectiveScan.cuh - the Mamba-1 selective scan kernel body ---------===//
//
// Instantiated by the CUDA emitter with a `Cfg` struct whose members are all
// compile-time constants: the element type, d_state, channels, groups, which
// optional operands exist, and the tile plan of passes/TileSelectiveScan.cpp.
//
// Work split (Grid: (D / (kWarps * kChannelsPerWarp), Bt). Block: kWarps * 32):
// - A warp owns kChannelsPerWarp consecutive channels of one batch row and
//   walks the sequence in chunks of 32 * kItems steps; lane l holds steps
//   [l * kItems, (l + 1) * kItems) of the chunk in registers.
// - For each state n the lane folds its kItems steps of x -> a * x + b into
//   one pair, a warp-shuffle scan composes the pairs across lanes, and a
//   second pass over the items produces the states and accumulates C * x into
//   the outputs. The state entering the chunk (the carry) sits in shared
//   memory per (warp, channel, n).
// - Per-token B and C are staged for kNTile states at a time into shared
//   memory by the whole block (all channels of a block share one group), and
//   each value read by a lane is reused for all of the warp's channels.
// - exp(dt * A) is one ex2.approx per (channel, state, step) on A prescaled by
//   log2(e): the kernel is bound by that special-function throughput.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"

namespace mamba {
namespace device {

template <typename Cfg>
__device__ __forceinline__ void selective_scan(const SelectiveScanParams &p) {
  using T = typename Cfg::input_t;
  constexpr int kN = Cfg::kDState;
  constexpr int kWarps = Cfg::kWarps;
  constexpr int kCh = Cfg::kChannelsPerWarp;
  constexpr int kItems = Cfg::kItems;
  constexpr int kChunk = 32 * kItems;
  constexpr int kNTile = Cfg::kNTile;
  // A lane's row of staged B or C, padded by 16 bytes so that the 16-byte
  // reads of 8 consecutive lanes hit distinct banks.
  constexpr int kRow = kItems + 4;
  constexpr int kStageFloats = kNTile * 32 * kRow;
  constexpr int kVec = 16 / sizeof(T);
  static_assert(kItems % kVec == 0 || kItems < kVec, "items vs vector width");
  static_assert(kN % kNTile == 0, "kNTile must divide d_state");

  extern __shared__ float smem[];
  float *s_B = smem;
  float *s_C = s_B + (Cfg::kVariableB ? kStageFloats : 0);
  float *s_carry = s_C + (Cfg::kVariableC ? kStageFloats : 0);

  const int warp = threadIdx.x >> 5;
  const int lane = threadIdx.x & 31;
  const index_t b = blockIdx.y;
  const int d0 = (blockIdx.x * kWarps + warp) * kCh; // first channel of warp
  const int block_d0 = blockIdx.x * kWarps * kCh;
  // Every channel of the block reads the same group (the tile pass checks
  // that channels-per-block divides D / G).
  const int group_B = block_d0 / (Cfg::kChannels / Cfg::kGroupsB);
  const int group_C = block_d0 / (Cfg::kChannels / Cfg::kGroupsC);
  float *carry = s_carry + (warp * kCh) * kN;

  const T *u_rows = static_cast<const T *>(p.u) + b * p.u_batch_stride;
  const T *dl_rows = static_cast<const T *>(p.delta) + b * p.delta_batch_stride;
  const T *z_rows = static_cast<const T *>(p.z) + b * p.z_batch_stride;
  T *out_rows = static_cast<T *>(p.out) + b * p.out_batch_stride;
  const T *B_rows = static_cast<const T *>(p.B) + b * p.B_batch_stride +
                    group_B * p.B_group_stride;
  const T *C_rows = static_cast<const T *>(p.C) + b * p.C_batch_stride +
                    group_C * p.C_group_stride;

  float D_skip[kCh], dt_bias[kCh];
#pragma unroll
  for (int c = 0; c < kCh; ++c) {
    D_skip[c] = Cfg::kHasD ? p.D[d0 + c] : 0.0f;
    dt_bias[c] = Cfg::kHasDeltaBias ? p.delta_bias[d0 + c] : 0.0f;
  }
  for (int i = lane; i < kCh * kN; i += 32) {
    const int c = i / kN, n = i % kN;
    carry[i] = Cfg::kHasInitialState
                   ? p.initial_state[(b * Cfg::kChannels + d0 + c) * kN + n]
                   : 0.0f;
  }
  __syncwarp();

  // 16-byte accesses need 16-byte aligned rows; chunk starts are multiples of
  // the vector width, so checking each row's base once suffices.
  bool vec = true;
#pragma unroll
  for (int c = 0; c < kCh; ++c) {
    vec = vec && is_aligned16(u_rows + (d0 + c) * p.u_d_stride) &&
          is_aligned16(dl_rows + (d0 + c) * p.delta_d_stride) &&
          is_aligned16(out_rows + (d0 + c) * p.out_d_stride) &&
          (!Cfg::kHasZ || is_aligned16(z_rows + (d0 + c) * p.z_d_stride));
  }
  const bool vec_B = is_aligned16(B_rows) && (p.B_n_stride % kVec) == 0;
  const bool vec_C = is_aligned16(C_rows) && (p.C_n_stride % kVec) == 0;

  for (index_t t0 = 0; t0 < p.seqlen; t0 += kChunk) {
    const int chunk_len =
        p.seqlen - t0 < kChunk ? int(p.seqlen - t0) : kChunk;
    const int valid = min(max(chunk_len - lane * kItems, 0), kItems);
    const index_t t_lane = t0 + lane * kItems;

    float dt[kCh][kItems], dtu[kCh][kItems], acc[kCh][kItems];
#pragma unroll
    for (int c = 0; c < kCh; ++c) {
      float u[kItems];
      const T *u_ptr = u_rows + (d0 + c) * p.u_d_stride + t_lane;
      const T *dl_ptr = dl_rows + (d0 + c) * p.delta_d_stride + t_lane;
      if (valid == kItems) {
        load_row<T, kItems>(u_ptr, u, vec);
        load_row<T, kItems>(dl_ptr, dt[c], vec);
      } else {
        load_row_guarded<T, kItems>(u_ptr, u, valid, 0.0f);
        load_row_guarded<T, kItems>(dl_ptr, dt[c], valid, 0.0f);
      }
#pragma unroll
      for (int i = 0; i < kItems; ++i) {
        float v = dt[c][i] + dt_bias[c];
        if (Cfg::kDeltaSoftplus)
          v = softplus(v);
        dt[c][i] = v;
        dtu[c][i] = v * u[i];
        acc[c][i] = D_skip[c] * u[i];
      }
    }

    for (int nt = 0; nt < kN; nt += kNTile) {
      if (Cfg::kVariableB || Cfg::kVariableC) {
        __syncthreads(); // the previous tile's readers are done
        // Stage rows nt..nt+kNTile of this chunk, zero past the sequence end.
        for (int idx = threadIdx.x * kVec; idx < kNTile * kChunk;
             idx += kWarps * 32 * kVec) {
          const int nn = idx / kChunk, t = idx % kChunk;
          const int dst = nn * 32 * kRow + (t / kItems) * kRow + t % kItems;
          float vB[kVec], vC[kVec];
          if (t + kVec <= chunk_len) {
            if (Cfg::kVariableB)
              load_row<T, kVec>(B_rows + (nt + nn) * p.B_n_stride + t0 + t, vB,
                                vec_B);
            if (Cfg::kVariableC)
              load_row<T, kVec>(C_rows + (nt + nn) * p.C_n_stride + t0 + t, vC,
                                vec_C);
          } else {
            const int v = max(chunk_len - t, 0);
            if (Cfg::kVariableB)
              load_row_guarded<T, kVec>(
                  B_rows + (nt + nn) * p.B_n_stride + t0 + t, vB, v, 0.0f);
            if (Cfg::kVariableC)
              load_row_guarded<T, kVec>(
                  C_rows + (nt + nn) * p.C_n_stride + t0 + t, vC, v, 0.0f);
          }
#pragma unroll
          for (int j = 0; j < kVec; ++j) {
            // kItems is a multiple of kVec (or smaller), so a vector never
            // straddles two lane rows when kItems >= kVec.
            const int tj = t + j;
            const int dj = nn * 32 * kRow + (tj / kItems) * kRow + tj % kItems;
            if (Cfg::kVariableB)
              s_B[kItems >= kVec ? dst + j : dj] = vB[j];
            if (Cfg::kVariableC)
              s_C[kItems >= kVec ? dst + j : dj] = vC[j];
          }
        }
        __syncthreads();
      }

#pragma unroll 1
      for (int nn = 0; nn < kNTile; ++nn) {
        const int n = nt + nn;
        float Bv[kItems], Cv[kItems];
        if (Cfg::kVariableB) {
          const float *src = s_B + nn * 32 * kRow + lane * kRow;
#pragma unroll
          for (int i = 0; i < kItems; ++i)
            Bv[i] = src[i];
        }
        if (Cfg::kVariableC) {
          const float *src = s_C + nn * 32 * kRow + lane * kRow;
#pragma unroll
          for (int i = 0; i < kItems; ++i)
            Cv[i] = src[i];
        }
#pragma unroll
        for (int c = 0; c < kCh; ++c) {
          const int d = d0 + c;
          const float A2 = __ldg(p.A + d * kN + n) * kLog2e;
          if (!Cfg::kVariableB) {
            const float v = __ldg(static_cast<const float *>(p.B) + d * kN + n);
#pragma unroll
            for (int i = 0; i < kItems; ++i)
              Bv[i] = v;
          }
          if (!Cfg::kVariableC) {
            const float v = __ldg(static_cast<const float *>(p.C) + d * kN + n);
#pragma unroll
            for (int i = 0; i < kItems; ++i)
              Cv[i] = v;
          }
          // Steps past the end get the identity pair (1, 0), so the carry
          // passes through them unchanged.
          float a[kItems], bx[kItems];
          float agg_a = 1.0f, agg_b = 0.0f;
#pragma unroll
          for (int i = 0; i < kItems; ++i) {
            const bool in = i < valid;
            a[i] = in ? exp2_approx(dt[c][i] * A2) : 1.0f;
            bx[i] = in ? dtu[c][i] * Bv[i] : 0.0f;
            agg_b = a[i] * agg_b + bx[i];
            agg_a = agg_a * a[i];
          }
          warp_scan_linear(agg_a, agg_b);
          // Exclusive prefix of this lane = inclusive prefix of lane - 1.
          float pre_a = __shfl_up_sync(0xffffffffu, agg_a, 1);
          float pre_b = __shfl_up_sync(0xffffffffu, agg_b, 1);
          if (lane == 0) {
            pre_a = 1.0f;
            pre_b = 0.0f;
          }
          const float carry_in = carry[c * kN + n];
          float x = pre_a * carry_in + pre_b;
#pragma unroll
          for (int i = 0; i < kItems; ++i) {
            x = a[i] * x + bx[i];
            acc[c][i] += x * Cv[i];
          }
          const float tot_a = __shfl_sync(0xffffffffu, agg_a, 31);
          const float tot_b = __shfl_sync(0xffffffffu, agg_b, 31);
          __syncwarp(); // every lane has read carry_in
          if (lane == 0)
            carry[c * kN + n] = tot_a * carry_in + tot_b;
          __syncwarp();
        }
      }
    }

#pragma unroll
    for (int c = 0; c < kCh; ++c) {
      if (Cfg::kHasZ) {
        float z[kItems];
        const T *z_ptr = z_rows + (d0 + c) * p.z_d_stride + t_lane;
        if (valid == kItems)
          load_row<T, kItems>(z_ptr, z, vec);
        else
          load_row_guarded<T, kItems>(z_ptr, z, valid, 0.0f);
#pragma unroll
        for (int i = 0; i < kItems; ++i)
          acc[c][i] *= silu(z[i]);
      }
      T *o_ptr = out_rows + (d0 + c) * p.out_d_stride + t_lane;
      if (valid == kItems)
        store_row<T, kItems>(o_ptr, acc[c], vec);
      else
        store_row_guarded<T, kItems>(o_ptr, acc[c], valid);
    }
  }

  if (Cfg::kHasLastState) {
    __syncwarp();
    for (int i = lane; i < kCh * kN; i += 32) {
      const int c = i / kN, n = i % kN;
      p.last_state[(b * Cfg::kChannels + d0 + c) * kN + n] = carry[i];
    }
  }
}

} // namespace device
} // namespace mamba
