//===- CausalConv1d.cuh - the causal depthwise conv1d kernel body ---------===//
//
// Grid: (ceil(L / kLTile), ceil(D / kCTile), Bt). Block: kThreads.
// A block computes positions [l0, l0 + kLTile) of channels
// [c0, c0 + kCTile). It stages x for positions l0 - (W-1) .. l0 + kLTile - 1
// (the W-1 halo comes from the previous positions, the initial states, or
// zeros) in shared memory as f32, reading along the layout's contiguous dim
// so that a warp's loads are coalesced, then each thread computes whole
// outputs from shared memory and writes them in the same order. Weights and
// bias are read once per output channel from global memory (L1-cached).
//
// Packed (kPacked, cu_seqlens): the one batch row holds num_seqs sequences
// and the grid still tiles the packed positions. Every staged position is
// labelled with its sequence (a binary search of cu_seqlens), a tap is kept
// when it lies in the output's sequence, and a tap before the sequence's
// start reads that sequence's initial states (or zero). The final states of
// sequence s are written by block s % gridDim.x of each channel tile,
// straight from global memory (empty sequences pass their initial states
// through).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"

namespace mamba {
namespace device {

/// The sequence of packed position t (0 <= t < cu[num_seqs]): the largest s
/// with cu[s] <= t, so empty sequences before t are skipped.
__device__ __forceinline__ int packed_sequence_of(const int *cu, int num_seqs,
                                                  index_t t) {
  int lo = 0, hi = num_seqs - 1; // the answer is in [lo, hi]
  while (lo < hi) {
    const int mid = (lo + hi + 1) >> 1;
    if (index_t(__ldg(cu + mid)) <= t)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

template <typename Cfg>
__device__ __forceinline__ void causal_conv1d(const CausalConv1dParams &p) {
  using T = typename Cfg::input_t;
  using W = typename Cfg::weight_t;
  constexpr int kW = Cfg::kWidth;
  constexpr int kLT = Cfg::kLTile, kCT = Cfg::kCTile;
  constexpr int kRows = kLT + kW - 1; // staged positions
  constexpr int kLd = kCT + 1;        // padded row: no bank conflicts
  extern __shared__ float smem[];
  float *s_x = smem;                                        // [kRows][kLd]
  int *s_seq = reinterpret_cast<int *>(smem + kRows * kLd); // [kRows]

  const index_t l0 = index_t(blockIdx.x) * kLT;
  const int c0 = blockIdx.y * kCT;
  const index_t b = blockIdx.z;
  const T *x = static_cast<const T *>(p.x) + b * p.x_batch_stride;
  T *out = static_cast<T *>(p.out) + b * p.out_batch_stride;
  const T *init = static_cast<const T *>(p.initial_states) +
                  b * p.initial_states_batch_stride;

  // Stage: element e of the tile is (row r, channel cc); consecutive threads
  // take consecutive elements of the contiguous dim.
  for (int e = threadIdx.x; e < kRows * kCT; e += blockDim.x) {
    const int r = Cfg::kChannelLast ? e / kCT : e % kRows;
    const int cc = Cfg::kChannelLast ? e % kCT : e / kRows;
    const index_t t = l0 - (kW - 1) + r;
    const int c = c0 + cc;
    float v = 0.0f;
    if (c < Cfg::kChannels && t < p.seqlen) {
      if (t >= 0)
        v = to_float(x[t * p.x_l_stride + c * p.x_c_stride]);
      else if (Cfg::kHasInitialStates)
        v = to_float(init[c * p.initial_states_c_stride + (kW - 1 + t)]);
    }
    s_x[r * kLd + cc] = v;
  }
  if (Cfg::kHasSeqIdx)
    for (int r = threadIdx.x; r < kRows; r += blockDim.x) {
      const index_t t = l0 - (kW - 1) + r;
      s_seq[r] = t < 0          ? -1
                 : t < p.seqlen ? p.seq_idx[b * p.seq_idx_batch_stride + t]
                                : -1;
    }
  if (Cfg::kPacked)
    for (int r = threadIdx.x; r < kRows; r += blockDim.x) {
      const index_t t = l0 - (kW - 1) + r;
      s_seq[r] = t < 0 || t >= p.seqlen
                     ? -1
                     : packed_sequence_of(p.cu_seqlens, int(p.num_seqs), t);
    }
  __syncthreads();

  for (int e = threadIdx.x; e < kLT * kCT; e += blockDim.x) {
    const int r = Cfg::kChannelLast ? e / kCT : e % kLT;
    const int cc = Cfg::kChannelLast ? e % kCT : e / kLT;
    const index_t t = l0 + r;
    const int c = c0 + cc;
    if (c >= Cfg::kChannels || t >= p.seqlen)
      continue;
    const W *w = static_cast<const W *>(p.weight) + c * kW;
    float acc =
        Cfg::kHasBias ? to_float(static_cast<const W *>(p.bias)[c]) : 0.0f;
    const int label = Cfg::kHasSeqIdx || Cfg::kPacked ? s_seq[r + kW - 1] : 0;
    if (Cfg::kPacked) {
      // Taps before the sequence's start read its initial states (or 0).
      const index_t start = __ldg(p.cu_seqlens + label);
      const T *init_s = static_cast<const T *>(p.initial_states) +
                        index_t(label) * p.initial_states_batch_stride +
                        c * p.initial_states_c_stride;
#pragma unroll
      for (int k = 0; k < kW; ++k) {
        float v = s_x[(r + k) * kLd + cc];
        if (s_seq[r + k] != label) {
          // Position t - (W-1) + k precedes the start by 1 .. W-1.
          const index_t before = t - (kW - 1) + k - start; // < 0
          v = Cfg::kHasInitialStates ? to_float(init_s[kW - 1 + before]) : 0.0f;
        }
        acc += to_float(w[k]) * v;
      }
    } else {
#pragma unroll
      for (int k = 0; k < kW; ++k) {
        // Tap k reads position t - (W-1) + k, staged at row r + k.
        if (!Cfg::kHasSeqIdx || s_seq[r + k] == label)
          acc += to_float(w[k]) * s_x[(r + k) * kLd + cc];
      }
    }
    if (Cfg::kSilu)
      acc = silu(acc);
    if (Cfg::kHasSeqIdx && label < 0)
      acc = 0.0f;
    out[t * p.out_l_stride + c * p.out_c_stride] = from_float<T>(acc);
  }

  if (Cfg::kPacked) {
    if (Cfg::kHasFinalStates) {
      // Sequence s's last W-1 inputs, preceded by the tail of its initial
      // states (or zeros) when it is shorter than W-1.
      for (index_t s = blockIdx.x; s < p.num_seqs; s += gridDim.x) {
        const index_t start = __ldg(p.cu_seqlens + s);
        const index_t end = __ldg(p.cu_seqlens + s + 1);
        T *fin =
            static_cast<T *>(p.final_states) + s * p.final_states_batch_stride;
        const T *init_s = static_cast<const T *>(p.initial_states) +
                          s * p.initial_states_batch_stride;
        constexpr int kK = kW > 1 ? kW - 1 : 1; // the state's length
        for (int e = threadIdx.x; e < (kW - 1) * kCT; e += blockDim.x) {
          const int k = Cfg::kChannelLast ? e / kCT : e % kK;
          const int cc = Cfg::kChannelLast ? e % kCT : e / kK;
          const int c = c0 + cc;
          if (c >= Cfg::kChannels)
            continue;
          const index_t pos = end - (kW - 1) + k;
          float v = 0.0f;
          if (pos >= start)
            v = to_float(x[pos * p.x_l_stride + c * p.x_c_stride]);
          else if (Cfg::kHasInitialStates)
            v = to_float(
                init_s[c * p.initial_states_c_stride + (kW - 1 + pos - start)]);
          fin[c * p.final_states_c_stride + k] = from_float<T>(v);
        }
      }
    }
    return;
  }

  // The block holding the last position writes the final states: the last
  // W-1 raw inputs, which are all staged in this block's tile.
  if (Cfg::kHasFinalStates && l0 <= p.seqlen - 1 && p.seqlen - 1 < l0 + kLT) {
    T *fin = static_cast<T *>(p.final_states) + b * p.final_states_batch_stride;
    for (int e = threadIdx.x; e < (kW - 1) * kCT; e += blockDim.x) {
      const int k = e / kCT, cc = e % kCT;
      const int c = c0 + cc;
      if (c >= Cfg::kChannels)
        continue;
      // Position L-(W-1)+k sits at row (L-(W-1)+k) - (l0-(W-1)).
      const int r = int(p.seqlen - l0) + k;
      fin[c * p.final_states_c_stride + k] = from_float<T>(s_x[r * kLd + cc]);
    }
  }
}

} // namespace device
} // namespace mamba
