//===- SelectiveStateUpdate.cuh - one decode step of the SSM --------------===//
//
// Grid: (H * ceil(P / kRows), Bt). Block: kWarps * 32, kRows = kWarps * 32 /
// kLanesPerRow. Decode streams the state: each element is read and written
// exactly once. kLanesPerRow lanes own one state row (channel p of head h,
// kDState values) and move it in 16-byte vectors along N, interleaved: lane
// j of the group holds vectors j, j + kLanesPerRow, ..., so each load and
// store instruction of the group covers consecutive vectors. Each lane also
// reads the matching elements of B and C, and the partial sums of C . state
// are reduced across the row's lanes with shuffles. Mamba-1 is the form with
// one head of P = D channels, per-channel dt and A (D, N). With kHasDtProj
// (Mamba-1 only) dt is the low-rank input (Bt, R) of dt_proj: the row's lanes
// split the dot product dt_low[b, :] . dt_proj[channel, :] and reduce it with
// the same shuffles, then round it to dt's type as the unfused linear would.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"

namespace mamba {
namespace device {

template <typename Cfg>
__device__ __forceinline__ void
selective_state_update(const SelectiveStateUpdateParams &p) {
  using T = typename Cfg::input_t;
  using S = typename Cfg::state_t;
  constexpr int kN = Cfg::kDState, kP = Cfg::kHeadDim;
  constexpr int kLanes = Cfg::kLanesPerRow;
  constexpr int kRows = Cfg::kWarps * 32 / kLanes;
  constexpr int kPer = kN / kLanes; // state values per lane
  // ... in kPieces runs of kSeg values (one 16-byte vector of the state, or
  // all kPer when they are not whole vectors), run k at element
  // n0 + k * kStride.
  constexpr int kVecS = 16 / int(sizeof(typename Cfg::state_t));
  constexpr int kSeg = kPer % kVecS == 0 ? kVecS : kPer;
  constexpr int kPieces = kPer / kSeg;
  constexpr int kStride = kLanes * kSeg;
  static_assert(kPieces * kSeg == kPer, "a lane's runs cover its values");
  constexpr int kRowBlocks = (kP + kRows - 1) / kRows;

  const int h = blockIdx.x / kRowBlocks;
  const int pr = (blockIdx.x % kRowBlocks) * kRows + threadIdx.x / kLanes;
  const int n0 = (threadIdx.x % kLanes) * kSeg;
  const index_t b = blockIdx.y;
  // Rows past P idle but stay for the shuffles of their lane group.
  const bool active = pr < kP;
  const int pc = active ? pr : kP - 1;

  index_t srow = b;
  if (Cfg::kHasStateIndices)
    srow = p.state_indices[b];
  T *out = static_cast<T *>(p.out) + b * p.out_batch_stride +
           h * p.out_head_stride + pc;
  if (srow < 0) { // padding row: output 0, state untouched
    if (active && n0 == 0)
      *out = from_float<T>(0.0f);
    return;
  }

  const float x = to_float(static_cast<const T *>(
      p.x)[b * p.x_batch_stride + h * p.x_head_stride + pc]);
  using DtT = typename Cfg::dt_t;
  float dt;
  if constexpr (Cfg::kHasDtProj) {
    static_assert(!Cfg::kHeadForm, "dt_proj is a Mamba-1 form operand");
    const DtT *lo = static_cast<const DtT *>(p.dt) + b * p.dt_batch_stride;
    const DtT *w =
        static_cast<const DtT *>(p.dt_proj) + index_t(pc) * Cfg::kDtRank;
    float sum = 0.0f;
    for (int r = threadIdx.x % kLanes; r < Cfg::kDtRank; r += kLanes)
      sum += to_float(lo[r]) * to_float(w[r]);
    dt = to_float(from_float<DtT>(group_sum<kLanes>(sum)));
  } else {
    dt = to_float(static_cast<const DtT *>(
        p.dt)[b * p.dt_batch_stride + h * p.dt_head_stride +
              (Cfg::kHeadForm ? 0 : pc)]);
  }
  if (Cfg::kHasDtBias)
    dt += to_float(static_cast<const typename Cfg::dtbias_t *>(
        p.dt_bias)[Cfg::kHeadForm ? h : pc]);
  if (Cfg::kDtSoftplus)
    dt = softplus(dt);
  if (Cfg::kHasDtLimit)
    dt = fminf(fmaxf(dt, p.dt_min), p.dt_max);
  const int grp = h / (Cfg::kHeads / Cfg::kGroups);
  const int grp_c = Cfg::kHeadForm ? grp : pc / (kP / Cfg::kGroups);
  const T *Bv = static_cast<const T *>(p.B) + b * p.B_batch_stride +
                grp_c * p.B_group_stride + n0;
  const T *Cv = static_cast<const T *>(p.C) + b * p.C_batch_stride +
                grp_c * p.C_group_stride + n0;
  S *state = static_cast<S *>(p.state) + srow * p.state_batch_stride +
             h * p.state_head_stride + index_t(pc) * kN + n0;

  float s[kPer], bv[kPer], cv[kPer];
  load_pieces<S, kPieces, kSeg>(state, kStride, s);
  load_pieces<T, kPieces, kSeg>(Bv, kStride, bv);
  load_pieces<T, kPieces, kSeg>(Cv, kStride, cv);
  const float dtx = dt * x;
  float acc = 0.0f;
  if (Cfg::kHeadForm) {
    // Tied form: one decay per head.
    const float decay = __expf(dt * p.A[h]);
#pragma unroll
    for (int i = 0; i < kPer; ++i) {
      s[i] = s[i] * decay + dtx * bv[i];
      acc += s[i] * cv[i];
    }
  } else {
    const float *A = p.A + index_t(pc) * kN + n0;
#pragma unroll
    for (int i = 0; i < kPer; ++i) {
      s[i] =
          s[i] * __expf(dt * A[(i / kSeg) * kStride + i % kSeg]) + dtx * bv[i];
      acc += s[i] * cv[i];
    }
  }
  if (active)
    store_pieces<S, kPieces, kSeg>(state, kStride, s);
  acc = group_sum<kLanes>(acc);
  if (!active || n0 != 0)
    return;
  if (Cfg::kHasD) {
    const auto *D = static_cast<const typename Cfg::dparam_t *>(p.D);
    acc += to_float(Cfg::kDPerChannel ? D[h * kP + pc] : D[h]) * x;
  }
  if (Cfg::kHasZ)
    acc *= silu(to_float(static_cast<const T *>(
        p.z)[b * p.z_batch_stride + h * p.z_head_stride + pc]));
  *out = from_float<T>(acc);
}

} // namespace device
} // namespace mamba
