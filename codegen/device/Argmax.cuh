//===- Argmax.cuh - the index of each row's largest value -----------------===//
//
// Grid: (rows). Block: kThreads. Each thread walks the row in steps of
// kThreads * kItems columns, reading kItems consecutive values at a time
// (one 16-byte load when the row is aligned), and keeps its best (value,
// column); a warp-shuffle and then a shared-memory reduction combine them.
// NaN ranks below every number and ties go to the lower column, the order
// of the CPU kernel and of the host sampler.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"

namespace mamba {
namespace device {

/// Whether (v, i) ranks before (best, bi): larger, or equal and earlier.
/// NaN compares false both ways, so a NaN candidate never wins and a NaN
/// best (only the initial one, column -1) always loses.
__device__ __forceinline__ bool argmax_better(float v, int i, float best,
                                              int bi) {
  return bi < 0 || v > best || (v == best && i < bi);
}

template <typename Cfg>
__device__ __forceinline__ void argmax(const ArgmaxParams &p) {
  using T = typename Cfg::input_t;
  constexpr int kItems = Cfg::kItems, kThreads = Cfg::kThreads;
  constexpr int kStep = kThreads * kItems;
  const index_t row = blockIdx.x;
  const T *x = static_cast<const T *>(p.x) + row * p.x_row_stride;
  const int cols = int(p.cols);
  const bool vec = is_aligned16(x);
  float best = 0.0f;
  int bi = -1;
  for (int c0 = threadIdx.x * kItems; c0 < cols; c0 += kStep) {
    float v[kItems];
    if (c0 + kItems <= cols)
      load_row<T, kItems>(x + c0, v, vec);
    else
      load_row_guarded<T, kItems>(x + c0, v, cols - c0,
                                  __int_as_float(0x7fc00000));
#pragma unroll
    for (int i = 0; i < kItems; ++i)
      if (!isnan(v[i]) && argmax_better(v[i], c0 + i, best, bi)) {
        best = v[i];
        bi = c0 + i;
      }
  }
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) {
    const float ov = __shfl_xor_sync(0xffffffffu, best, offset);
    const int oi = __shfl_xor_sync(0xffffffffu, bi, offset);
    if (oi >= 0 && argmax_better(ov, oi, best, bi)) {
      best = ov;
      bi = oi;
    }
  }
  __shared__ float s_best[32];
  __shared__ int s_index[32];
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  if (lane == 0) {
    s_best[warp] = best;
    s_index[warp] = bi;
  }
  __syncthreads();
  if (threadIdx.x == 0) {
    for (int w = 1; w < kThreads / 32; ++w)
      if (s_index[w] >= 0 && argmax_better(s_best[w], s_index[w], best, bi)) {
        best = s_best[w];
        bi = s_index[w];
      }
    p.ids[row] = bi < 0 ? 0 : bi;
  }
}

} // namespace device
} // namespace mamba
