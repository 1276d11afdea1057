//===- CausalConv1dUpdate.cuh - one decode step of the causal conv1d ------===//
//
// Grid: (ceil(D / kThreads), Bt). Block: kThreads. Thread = (batch row,
// channel). The state row holds the last kStateLen raw inputs; the thread
// reads it once, forms the window [state[K-(W-1):K], x], writes the output,
// and writes the row back shifted left by one with x at the end. A negative
// state index marks a padding row: output 0, state untouched.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"

namespace mamba {
namespace device {

template <typename Cfg>
__device__ __forceinline__ void
causal_conv1d_update(const CausalConv1dUpdateParams &p) {
  using T = typename Cfg::input_t;
  using W = typename Cfg::weight_t;
  constexpr int kW = Cfg::kWidth, kK = Cfg::kStateLen;
  const int c = blockIdx.x * blockDim.x + threadIdx.x;
  const index_t b = blockIdx.y;
  if (c >= Cfg::kChannels)
    return;
  T *out = static_cast<T *>(p.out) + b * p.out_batch_stride + c;
  index_t row = b;
  if (Cfg::kHasStateIndices) {
    row = p.state_indices[b];
    if (row < 0) {
      *out = from_float<T>(0.0f);
      return;
    }
  }
  T *state = static_cast<T *>(p.conv_state) + row * p.state_batch_stride +
             c * p.state_c_stride;
  float s[kK];
#pragma unroll
  for (int k = 0; k < kK; ++k)
    s[k] = to_float(state[k]);
  const float x = to_float(static_cast<const T *>(p.x)[b * p.x_batch_stride + c]);
  const W *w = static_cast<const W *>(p.weight) + c * kW;
  float acc = Cfg::kHasBias ? to_float(static_cast<const W *>(p.bias)[c]) : 0.0f;
#pragma unroll
  for (int k = 0; k < kW - 1; ++k)
    acc += to_float(w[k]) * s[kK - (kW - 1) + k];
  acc += to_float(w[kW - 1]) * x;
  if (Cfg::kSilu)
    acc = silu(acc);
  *out = from_float<T>(acc);
#pragma unroll
  for (int k = 0; k < kK - 1; ++k)
    state[k] = from_float<T>(s[k + 1]);
  state[kK - 1] = from_float<T>(x);
}

} // namespace device
} // namespace mamba
