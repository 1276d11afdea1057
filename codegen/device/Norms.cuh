//===- Norms.cuh - RMSNorm with fused residual, gated RMSNorm -------------===//
//
// rms_norm. Grid: (rows). Block: kThreads. gated_rms_norm. Grid: (rows,
// kCols / kGroupSize). Block: kThreads. Each thread keeps kItems
// consecutive columns in registers between the sum of squares (a block
// reduction through shared memory) and the scaling, so a row is read once,
// in 16-byte vectors where the row is aligned.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"

namespace mamba {
namespace device {

/// Sum over the block; every thread gets the result.
template <int kThreads> __device__ __forceinline__ float block_sum(float v) {
  __shared__ float partial[32];
  v = warp_sum(v);
  const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
  if (lane == 0)
    partial[warp] = v;
  __syncthreads();
  float total = 0.0f;
#pragma unroll
  for (int w = 0; w < kThreads / 32; ++w)
    total += partial[w];
  return total;
}

/// Loads a thread's kItems columns starting at c0 of a row of kCols: 16-byte
/// vectors when they are all inside the row and the row is aligned, plain
/// guarded loads at the end of the row.
template <typename T, int kItems, int kCols>
__device__ __forceinline__ void load_items(const T *row, int c0,
                                           float (&v)[kItems], bool aligned) {
  if (c0 + kItems <= kCols)
    load_row<T, kItems>(row + c0, v, aligned);
  else
    load_row_guarded<T, kItems>(row + c0, v, kCols - c0, 0.0f);
}

template <typename T, int kItems, int kCols>
__device__ __forceinline__ void
store_items(T *row, int c0, const float (&v)[kItems], bool aligned) {
  if (c0 + kItems <= kCols)
    store_row<T, kItems>(row + c0, v, aligned);
  else if (c0 < kCols)
    store_row_guarded<T, kItems>(row + c0, v, kCols - c0);
}

template <typename Cfg>
__device__ __forceinline__ void rms_norm(const RmsNormParams &p) {
  using T = typename Cfg::input_t;
  using R = typename Cfg::residual_t;
  using RO = typename Cfg::residual_out_t;
  using W = typename Cfg::weight_t;
  constexpr int kItems = Cfg::kItems, kCols = Cfg::kCols;
  const index_t row = blockIdx.x;
  const int c0 = threadIdx.x * kItems;
  const T *x = static_cast<const T *>(p.x) + row * p.x_row_stride;
  const R *res =
      static_cast<const R *>(p.residual) + row * p.residual_row_stride;
  float v[kItems];
  load_items<T, kItems, kCols>(x, c0, v, is_aligned16(x));
  if (Cfg::kHasResidual) {
    float r[kItems];
    load_items<R, kItems, kCols>(res, c0, r, is_aligned16(res));
#pragma unroll
    for (int i = 0; i < kItems; ++i)
      v[i] += r[i];
  }
  float sq = 0.0f;
#pragma unroll
  for (int i = 0; i < kItems; ++i)
    sq += v[i] * v[i];
  const float total = block_sum<Cfg::kThreads>(sq);
  const float rstd = rsqrtf(total / kCols + p.eps);
  const W *w = static_cast<const W *>(p.weight);
  float wv[kItems];
  load_items<W, kItems, kCols>(w, c0, wv, is_aligned16(w));
  T *y = static_cast<T *>(p.y) + row * p.y_row_stride;
  RO *rout =
      static_cast<RO *>(p.residual_out) + row * p.residual_out_row_stride;
  if (Cfg::kHasResidualOut)
    store_items<RO, kItems, kCols>(rout, c0, v, is_aligned16(rout));
  float out[kItems];
#pragma unroll
  for (int i = 0; i < kItems; ++i)
    out[i] = v[i] * rstd * wv[i];
  store_items<T, kItems, kCols>(y, c0, out, is_aligned16(y));
}

template <typename Cfg>
__device__ __forceinline__ void gated_rms_norm(const GatedRmsNormParams &p) {
  using T = typename Cfg::input_t;
  using W = typename Cfg::weight_t;
  constexpr int kItems = Cfg::kItems, kGroup = Cfg::kGroupSize;
  const index_t row = blockIdx.x;
  const int g0 = blockIdx.y * kGroup;
  const int c0 = threadIdx.x * kItems;
  const T *x = static_cast<const T *>(p.x) + row * p.x_row_stride + g0;
  const T *z = static_cast<const T *>(p.z) + row * p.z_row_stride + g0;
  float v[kItems], gate[kItems];
  load_items<T, kItems, kGroup>(x, c0, v, is_aligned16(x));
  if (Cfg::kHasZ) {
    load_items<T, kItems, kGroup>(z, c0, gate, is_aligned16(z));
#pragma unroll
    for (int i = 0; i < kItems; ++i) {
      gate[i] = silu(gate[i]);
      if (!Cfg::kNormBeforeGate)
        v[i] *= gate[i];
    }
  }
  float sq = 0.0f;
#pragma unroll
  for (int i = 0; i < kItems; ++i)
    sq += v[i] * v[i];
  const float total = block_sum<Cfg::kThreads>(sq);
  const float rstd = rsqrtf(total / kGroup + p.eps);
  const W *w = static_cast<const W *>(p.weight) + g0;
  float wv[kItems];
  load_items<W, kItems, kGroup>(w, c0, wv, is_aligned16(w));
  T *y = static_cast<T *>(p.y) + row * p.y_row_stride + g0;
  float out[kItems];
#pragma unroll
  for (int i = 0; i < kItems; ++i) {
    out[i] = v[i] * rstd * wv[i];
    if (Cfg::kHasZ && Cfg::kNormBeforeGate)
      out[i] *= gate[i];
  }
  store_items<T, kItems, kGroup>(y, c0, out, is_aligned16(y));
}

} // namespace device
} // namespace mamba
