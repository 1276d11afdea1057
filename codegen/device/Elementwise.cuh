//===- Elementwise.cuh - embedding gather and pointwise ops ---------------===//
//
// embedding. Grid: (rows). Block: kThreads. Copies one table row per block.
// pointwise. Grid: (ceil(numel / (kThreads * kItems))). Block: kThreads.
// kOp: 0 silu, 1 softplus, 2 multiply by w, 3 add w, where w is indexed
// (i / inner) % kWSize.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"

namespace mamba {
namespace device {

template <typename Cfg>
__device__ __forceinline__ void embedding(const EmbeddingParams &p) {
  using T = typename Cfg::table_t;
  const index_t row = blockIdx.x;
  const index_t id = static_cast<const typename Cfg::id_t *>(p.ids)[row];
  T *out = static_cast<T *>(p.out) + row * Cfg::kDim;
  if (id < 0 || id >= p.vocab) {
    if (threadIdx.x == 0)
      *p.error = 1;
    for (int c = threadIdx.x; c < Cfg::kDim; c += blockDim.x)
      out[c] = from_float<T>(0.0f);
    return;
  }
  const T *src = static_cast<const T *>(p.table) + id * Cfg::kDim;
  for (int c = threadIdx.x; c < Cfg::kDim; c += blockDim.x)
    out[c] = src[c];
}

template <typename Cfg>
__device__ __forceinline__ void pointwise(const ElementwiseParams &p) {
  using T = typename Cfg::input_t;
  const index_t base =
      (index_t(blockIdx.x) * blockDim.x + threadIdx.x) * Cfg::kItems;
  const T *x = static_cast<const T *>(p.x);
  T *y = static_cast<T *>(p.y);
#pragma unroll
  for (int k = 0; k < Cfg::kItems; ++k) {
    const index_t i = base + k;
    if (i >= p.numel)
      return;
    float v = to_float(x[i]);
    if (Cfg::kOp == 0) {
      v = silu(v);
    } else if (Cfg::kOp == 1) {
      v = softplus(v);
    } else {
      const float w = to_float(
          static_cast<const typename Cfg::w_t *>(p.w)[(i / p.inner) % Cfg::kWSize]);
      v = Cfg::kOp == 2 ? v * w : v + w;
    }
    y[i] = from_float<T>(v);
  }
}

} // namespace device
} // namespace mamba
