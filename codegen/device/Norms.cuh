//===- Norms.cuh - RMSNorm with fused residual, gated RMSNorm -------------===//
//
// rms_norm. Grid: (rows). Block: kThreads. gated_rms_norm. Grid: (rows,
// kCols / kGroupSize). Block: kThreads. Each thread keeps kItems
// consecutive columns in registers between the sum of squares (a block
// reduction through shared memory) and the scaling, so a row is read once.
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

template <typename Cfg>
__device__ __forceinline__ void rms_norm(const RmsNormParams &p) {
  using T = typename Cfg::input_t;
  constexpr int kItems = Cfg::kItems, kCols = Cfg::kCols;
  const index_t row = blockIdx.x;
  const int c0 = threadIdx.x * kItems;
  const T *x = static_cast<const T *>(p.x) + row * p.x_row_stride;
  const auto *res = static_cast<const typename Cfg::residual_t *>(p.residual) +
                    row * p.residual_row_stride;
  float v[kItems];
  float sq = 0.0f;
#pragma unroll
  for (int i = 0; i < kItems; ++i) {
    const int c = c0 + i;
    v[i] = 0.0f;
    if (c < kCols) {
      v[i] = to_float(x[c]);
      if (Cfg::kHasResidual)
        v[i] += to_float(res[c]);
    }
    sq += v[i] * v[i];
  }
  const float total = block_sum<Cfg::kThreads>(sq);
  const float rstd = rsqrtf(total / kCols + p.eps);
  const auto *w = static_cast<const typename Cfg::weight_t *>(p.weight);
  T *y = static_cast<T *>(p.y) + row * p.y_row_stride;
  auto *rout = static_cast<typename Cfg::residual_out_t *>(p.residual_out) +
               row * p.residual_out_row_stride;
#pragma unroll
  for (int i = 0; i < kItems; ++i) {
    const int c = c0 + i;
    if (c >= kCols)
      continue;
    if (Cfg::kHasResidualOut)
      rout[c] = from_float<typename Cfg::residual_out_t>(v[i]);
    y[c] = from_float<T>(v[i] * rstd * to_float(w[c]));
  }
}

template <typename Cfg>
__device__ __forceinline__ void gated_rms_norm(const GatedRmsNormParams &p) {
  using T = typename Cfg::input_t;
  constexpr int kItems = Cfg::kItems, kGroup = Cfg::kGroupSize;
  const index_t row = blockIdx.x;
  const int g0 = blockIdx.y * kGroup;
  const int c0 = threadIdx.x * kItems;
  const T *x = static_cast<const T *>(p.x) + row * p.x_row_stride + g0;
  const T *z = static_cast<const T *>(p.z) + row * p.z_row_stride + g0;
  float v[kItems], gate[kItems];
  float sq = 0.0f;
#pragma unroll
  for (int i = 0; i < kItems; ++i) {
    const int c = c0 + i;
    v[i] = 0.0f;
    gate[i] = 1.0f;
    if (c < kGroup) {
      v[i] = to_float(x[c]);
      if (Cfg::kHasZ)
        gate[i] = silu(to_float(z[c]));
      if (Cfg::kHasZ && !Cfg::kNormBeforeGate)
        v[i] *= gate[i];
    }
    sq += v[i] * v[i];
  }
  const float total = block_sum<Cfg::kThreads>(sq);
  const float rstd = rsqrtf(total / kGroup + p.eps);
  const auto *w = static_cast<const typename Cfg::weight_t *>(p.weight) + g0;
  T *y = static_cast<T *>(p.y) + row * p.y_row_stride + g0;
#pragma unroll
  for (int i = 0; i < kItems; ++i) {
    const int c = c0 + i;
    if (c >= kGroup)
      continue;
    float r = v[i] * rstd * to_float(w[c]);
    if (Cfg::kHasZ && Cfg::kNormBeforeGate)
      r *= gate[i];
    y[c] = from_float<T>(r);
  }
}

} // namespace device
} // namespace mamba
