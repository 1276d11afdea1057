//===- ConvStateUpdate.cuh - the fused Mamba-2 decode step ----------------===//
//
// mamba.conv_state_update: causal_conv1d_update with SiLU, whose output's
// column ranges are the x, B and C of the head form of
// selective_state_update, in one kernel.
//
// Grid: (H * ceil(P / kRows), Bt). Block: kWarps * 32, kRows = kWarps * 32 /
// kLanesPerRow. A block owns kRows state rows (channels p) of one (batch row
// b, head h), as SelectiveStateUpdate.cuh, in three phases:
//
// 1. The conv. The block's threads compute, one channel at a time, the
//    depthwise conv + bias + SiLU of its kRows x channels (x_offset + h * P +
//    p) and of the 2 * N B and C channels of its group g (b_offset + g * N +
//    n, c_offset + g * N + n), each rounded to the activation type as the
//    unfused conv's output is, into shared memory. An x channel belongs to
//    exactly one block, so its thread shifts its conv state row right away.
// 2. The state update, exactly as SelectiveStateUpdate.cuh's, reading x, B
//    and C from shared memory.
// 3. The B and C conv states. Every block of (b, g) reads them in phase 1,
//    so none may write them before all have read: each block counts itself
//    in p.sync[b * G + g] once its reads are done (fence, then atomicAdd),
//    and the block that counts last, after all the others have read, shifts
//    the group's 2 * N rows and resets the counter to 0 for the next launch
//    (or graph replay). No block waits for another.
//
// A negative state index marks a padding row: output 0, neither state
// changes (and the row's blocks do not count).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"

namespace mamba {
namespace device {

/// The conv of channel `c` of batch row `xin` against its state row `st`
/// (kK values), rounded to T; with `shift`, the state row is written back
/// shifted left by one with the new input last.
template <typename Cfg>
__device__ __forceinline__ float
conv_channel(const ConvStateUpdateParams &p, const typename Cfg::input_t *xin,
             typename Cfg::input_t *st, int c, bool shift) {
  using T = typename Cfg::input_t;
  using Wt = typename Cfg::weight_t;
  constexpr int kW = Cfg::kWidth, kK = Cfg::kStateLen;
  float s[kK];
#pragma unroll
  for (int k = 0; k < kK; ++k)
    s[k] = to_float(st[k]);
  const float xv = to_float(xin[c]);
  const Wt *w = static_cast<const Wt *>(p.conv_weight) + index_t(c) * kW;
  float acc = Cfg::kHasConvBias
                  ? to_float(static_cast<const Wt *>(p.conv_bias)[c])
                  : 0.0f;
#pragma unroll
  for (int k = 0; k < kW - 1; ++k)
    acc += to_float(w[k]) * s[kK - (kW - 1) + k];
  acc += to_float(w[kW - 1]) * xv;
  if (shift) {
#pragma unroll
    for (int k = 0; k < kK - 1; ++k)
      st[k] = from_float<T>(s[k + 1]);
    st[kK - 1] = from_float<T>(xv);
  }
  return to_float(from_float<T>(silu(acc)));
}

template <typename Cfg>
__device__ __forceinline__ void
conv_state_update(const ConvStateUpdateParams &p) {
  using T = typename Cfg::input_t;
  using S = typename Cfg::state_t;
  constexpr int kN = Cfg::kDState, kP = Cfg::kHeadDim;
  constexpr int kLanes = Cfg::kLanesPerRow;
  constexpr int kThreads = Cfg::kWarps * 32;
  constexpr int kRows = kThreads / kLanes;
  constexpr int kPer = kN / kLanes; // state values per lane
  constexpr int kVecS = 16 / int(sizeof(S));
  constexpr int kSeg = kPer % kVecS == 0 ? kVecS : kPer;
  constexpr int kPieces = kPer / kSeg;
  constexpr int kStride = kLanes * kSeg;
  static_assert(kPieces * kSeg == kPer, "a lane's runs cover its values");
  constexpr int kRowBlocks = (kP + kRows - 1) / kRows;
  constexpr int kHeadsPerGroup = Cfg::kHeads / Cfg::kGroups;
  // The blocks of one (batch row, group): all read its B and C conv states.
  constexpr int kReaders = kHeadsPerGroup * kRowBlocks;
  static_assert(Cfg::kHeads * kP + 2 * Cfg::kGroups * kN == Cfg::kConvDim,
                "x, B and C partition the conv channels");

  __shared__ float s_x[kRows];
  __shared__ float s_bc[2 * kN]; // B, then C
  __shared__ int s_last;

  const int tid = threadIdx.x;
  const int h = blockIdx.x / kRowBlocks;
  const int p0 = (blockIdx.x % kRowBlocks) * kRows;
  const int pr = p0 + tid / kLanes;
  const int n0 = (tid % kLanes) * kSeg;
  const index_t b = blockIdx.y;
  const int grp = h / kHeadsPerGroup;
  // Rows past P idle but stay for the shuffles of their lane group.
  const bool active = pr < kP;
  const int pc = active ? pr : kP - 1;

  index_t srow = b;
  if (Cfg::kHasStateIndices)
    srow = p.state_indices[b];
  T *out = static_cast<T *>(p.out) + b * p.out_batch_stride +
           h * p.out_head_stride + pc;
  if (srow < 0) { // padding row: output 0, states untouched
    if (active && n0 == 0)
      *out = from_float<T>(0.0f);
    return;
  }

  // Phase 1: the conv of this block's x rows and of the group's B and C.
  const T *xin = static_cast<const T *>(p.x) + b * p.x_batch_stride;
  T *cstate = static_cast<T *>(p.conv_state) + srow * p.conv_state_batch_stride;
  for (int i = tid; i < kRows + 2 * kN; i += kThreads) {
    if (i < kRows) {
      const int row = p0 + i;
      if (row < kP) {
        const int c = Cfg::kXOffset + h * kP + row;
        s_x[i] = conv_channel<Cfg>(
            p, xin, cstate + index_t(c) * p.conv_state_c_stride, c, true);
      } else {
        s_x[i] = 0.0f;
      }
    } else {
      const int j = i - kRows; // 0 .. 2N-1
      const int c = j < kN ? Cfg::kBOffset + grp * kN + j
                           : Cfg::kCOffset + grp * kN + (j - kN);
      s_bc[j] = conv_channel<Cfg>(
          p, xin, cstate + index_t(c) * p.conv_state_c_stride, c, false);
    }
  }
  // Every read of the B and C conv states of this block is done (their
  // values are in shared memory); make that visible before counting.
  __threadfence();
  __syncthreads();
  if (tid == 0) {
    const int before = atomicAdd(p.sync + b * Cfg::kGroups + grp, 1);
    s_last = before == kReaders - 1;
  }

  // Phase 2: the state update of the block's rows.
  float dt = to_float(static_cast<const typename Cfg::dt_t *>(
      p.dt)[b * p.dt_batch_stride + h * p.dt_head_stride]);
  if (Cfg::kHasDtBias)
    dt += to_float(static_cast<const typename Cfg::dtbias_t *>(p.dt_bias)[h]);
  if (Cfg::kDtSoftplus)
    dt = softplus(dt);
  if (Cfg::kHasDtLimit)
    dt = fminf(fmaxf(dt, p.dt_min), p.dt_max);
  const float x = s_x[tid / kLanes];
  S *state = static_cast<S *>(p.state) + srow * p.state_batch_stride +
             h * p.state_head_stride + index_t(pc) * kN + n0;
  float s[kPer], bv[kPer], cv[kPer];
  load_pieces<S, kPieces, kSeg>(state, kStride, s);
#pragma unroll
  for (int i = 0; i < kPer; ++i) {
    const int n = n0 + (i / kSeg) * kStride + i % kSeg;
    bv[i] = s_bc[n];
    cv[i] = s_bc[kN + n];
  }
  const float dtx = dt * x;
  const float decay = __expf(dt * p.A[h]);
  float acc = 0.0f;
#pragma unroll
  for (int i = 0; i < kPer; ++i) {
    s[i] = s[i] * decay + dtx * bv[i];
    acc += s[i] * cv[i];
  }
  if (active)
    store_pieces<S, kPieces, kSeg>(state, kStride, s);
  acc = group_sum<kLanes>(acc);
  if (active && n0 == 0) {
    if (Cfg::kHasD) {
      const auto *D = static_cast<const typename Cfg::dparam_t *>(p.D);
      acc += to_float(Cfg::kDPerChannel ? D[h * kP + pc] : D[h]) * x;
    }
    if (Cfg::kHasZ)
      acc *= silu(to_float(static_cast<const T *>(
          p.z)[b * p.z_batch_stride + h * p.z_head_stride + pc]));
    *out = from_float<T>(acc);
  }

  // Phase 3: the last reader of (b, g) shifts the group's B and C states.
  __syncthreads();
  if (!s_last)
    return;
  __threadfence();
  for (int j = tid; j < 2 * kN; j += kThreads) {
    const int c = j < kN ? Cfg::kBOffset + grp * kN + j
                         : Cfg::kCOffset + grp * kN + (j - kN);
    T *st = cstate + index_t(c) * p.conv_state_c_stride;
    float v[Cfg::kStateLen];
#pragma unroll
    for (int k = 0; k < Cfg::kStateLen; ++k)
      v[k] = to_float(st[k]);
#pragma unroll
    for (int k = 0; k < Cfg::kStateLen - 1; ++k)
      st[k] = from_float<T>(v[k + 1]);
    st[Cfg::kStateLen - 1] = xin[c];
  }
  if (tid == 0)
    atomicExch(p.sync + b * Cfg::kGroups + grp, 0);
}

} // namespace device
} // namespace mamba
