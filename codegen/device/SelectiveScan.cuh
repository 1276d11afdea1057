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
//   memory per (warp, channel, n). A final chunk of at most a half or a
//   quarter of 32 * kItems steps (a short prompt) runs with kItems / 2 or
//   kItems / 4 steps per lane instead, so padding costs no exps.
// - Inputs reach shared memory by asynchronous 16-byte copies, double
//   buffered: u, delta and z per chunk, and per-token B and C per (chunk,
//   tile of kNTile states). While the block computes one (chunk, tile) the
//   copies of the next are in flight, so the loop is bound by arithmetic, not
//   by memory latency. Every channel of a block shares one group of B and C,
//   and each B/C value a lane reads serves all of the warp's channels.
// - exp(dt * A) is one ex2.approx per (channel, state, step) on A prescaled by
//   log2(e): the kernel is bound by that special-function throughput.
//
// Packed (kPacked, cu_seqlens; both variants): grid y runs over the S
// sequences instead of the batch rows. The block of sequence s reads batch
// row 0 from position cu_seqlens[s] on, for cu_seqlens[s+1] - cu_seqlens[s]
// steps, and state row s: exactly a batch row of that length, so the scan
// restarts at every boundary and nothing else changes.
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
  constexpr int kTiles = kN / kNTile;
  constexpr int kThreads = kWarps * 32;
  constexpr int kBlockCh = kWarps * kCh;
  constexpr int kVec = 16 / sizeof(T);
  static_assert(kItems % kVec == 0, "a lane's items are whole 16-byte vectors");
  static_assert(kN % kNTile == 0, "kNTile must divide d_state");
  // Shared memory, in elements of T: two stages of B and C tiles
  // [kNTile][kChunk], two stages of u, delta, z [kBlockCh][kChunk], then the
  // f32 carries [kBlockCh][kN].
  constexpr int kBC = kNTile * kChunk;
  constexpr int kAct = kBlockCh * kChunk;
  constexpr int kTileElems =
      (Cfg::kVariableB ? kBC : 0) + (Cfg::kVariableC ? kBC : 0);
  constexpr int kChunkElems = (2 + (Cfg::kHasZ ? 1 : 0)) * kAct;

  extern __shared__ __align__(16) unsigned char smem[];
  T *s_tiles = reinterpret_cast<T *>(smem); // 2 stages
  T *s_acts = s_tiles + 2 * kTileElems;     // 2 stages
  float *s_carry = reinterpret_cast<float *>(s_acts + 2 * kChunkElems);

  const int warp = threadIdx.x >> 5;
  const int lane = threadIdx.x & 31;
  // The batch row of the activations, the state row, and the block's steps
  // [t_begin, t_begin + seqlen) of that row. A packed sequence's length is
  // 32-bit (cu_seqlens is i32) and lives in a register, where the unpacked
  // kernel's comes from the launch parameters.
  using pos_t = typename Select<Cfg::kPacked, int, index_t>::type;
  const index_t b = Cfg::kPacked ? 0 : blockIdx.y;
  const index_t sb = blockIdx.y;
  index_t t_begin = 0, len_s = p.seqlen;
  if (Cfg::kPacked)
    packed_range(p.cu_seqlens, sb, p.seqlen, t_begin, len_s);
  const pos_t seqlen = pos_t(len_s);
  const int block_d0 = blockIdx.x * kBlockCh;
  const int d0 = block_d0 + warp * kCh; // first channel of the warp
  // Every channel of the block reads the same group (the tile pass checks
  // that channels-per-block divides D / G).
  const int group_B = block_d0 / (Cfg::kChannels / Cfg::kGroupsB);
  const int group_C = block_d0 / (Cfg::kChannels / Cfg::kGroupsC);
  float *carry = s_carry + (warp * kCh) * kN;

  const T *u_rows =
      static_cast<const T *>(p.u) + b * p.u_batch_stride + t_begin;
  const T *dl_rows =
      static_cast<const T *>(p.delta) + b * p.delta_batch_stride + t_begin;
  const T *z_rows =
      static_cast<const T *>(p.z) + b * p.z_batch_stride + t_begin;
  T *out_rows = static_cast<T *>(p.out) + b * p.out_batch_stride + t_begin;
  const T *B_rows = static_cast<const T *>(p.B) + b * p.B_batch_stride +
                    group_B * p.B_group_stride + t_begin;
  const T *C_rows = static_cast<const T *>(p.C) + b * p.C_batch_stride +
                    group_C * p.C_group_stride + t_begin;

  // 16-byte copies need 16-byte aligned rows; chunk starts are multiples of
  // the vector width, so checking each row's base once suffices.
  bool vec =
      is_aligned16(u_rows) && is_aligned16(dl_rows) && is_aligned16(out_rows) &&
      p.u_d_stride % kVec == 0 && p.delta_d_stride % kVec == 0 &&
      p.out_d_stride % kVec == 0 &&
      (!Cfg::kHasZ || (is_aligned16(z_rows) && p.z_d_stride % kVec == 0));
  if (Cfg::kVariableB)
    vec = vec && is_aligned16(B_rows) && p.B_n_stride % kVec == 0;
  if (Cfg::kVariableC)
    vec = vec && is_aligned16(C_rows) && p.C_n_stride % kVec == 0;

  // Copies `rows` rows of a chunk [t0, t0 + len) into a [rows][kChunk] tile;
  // positions past the end are zero-filled.
  auto stageRows = [&](T *dst, const T *src, index_t rowStride, int rows,
                       index_t t0, int len) {
    if (vec) {
      for (int idx = threadIdx.x * kVec; idx < rows * kChunk;
           idx += kThreads * kVec) {
        const int r = idx / kChunk, t = idx % kChunk;
        const bool in = t < len;
        if (in && t + kVec > len) {
          // The partial vector at the very end: plain loads.
          for (int j = 0; j < kVec; ++j)
            dst[idx + j] = t + j < len ? src[r * rowStride + t0 + t + j]
                                       : from_float<T>(0.0f);
        } else {
          cp_async16(dst + idx, src + r * rowStride + t0 + (in ? t : 0), in);
        }
      }
    } else {
      for (int idx = threadIdx.x; idx < rows * kChunk; idx += kThreads) {
        const int r = idx / kChunk, t = idx % kChunk;
        dst[idx] = t < len ? src[r * rowStride + t0 + t] : from_float<T>(0.0f);
      }
    }
  };

  const int nChunks = int((seqlen + kChunk - 1) / kChunk);
  // Work item i = (chunk i / kTiles, state tile i % kTiles); item i uses tile
  // stage i % 2 and chunk stage (i / kTiles) % 2.
  auto prefetch = [&](int item) {
    const int c = item / kTiles, nt = item % kTiles;
    const pos_t t0 = pos_t(c) * kChunk;
    const int len = seqlen - t0 < kChunk ? int(seqlen - t0) : kChunk;
    T *tile = s_tiles + (item % 2) * kTileElems;
    if (Cfg::kVariableB)
      stageRows(tile, B_rows + index_t(nt) * kNTile * p.B_n_stride,
                p.B_n_stride, kNTile, t0, len);
    if (Cfg::kVariableC)
      stageRows(tile + (Cfg::kVariableB ? kBC : 0),
                C_rows + index_t(nt) * kNTile * p.C_n_stride, p.C_n_stride,
                kNTile, t0, len);
    if (nt == 0) {
      T *acts = s_acts + (c % 2) * kChunkElems;
      stageRows(acts, u_rows + block_d0 * p.u_d_stride, p.u_d_stride, kBlockCh,
                t0, len);
      stageRows(acts + kAct, dl_rows + block_d0 * p.delta_d_stride,
                p.delta_d_stride, kBlockCh, t0, len);
      if (Cfg::kHasZ)
        stageRows(acts + 2 * kAct, z_rows + block_d0 * p.z_d_stride,
                  p.z_d_stride, kBlockCh, t0, len);
    }
    cp_async_commit();
  };

  float D_skip[kCh], dt_bias[kCh];
#pragma unroll
  for (int c = 0; c < kCh; ++c) {
    D_skip[c] = Cfg::kHasD ? p.D[d0 + c] : 0.0f;
    dt_bias[c] = Cfg::kHasDeltaBias ? p.delta_bias[d0 + c] : 0.0f;
  }
  for (int i = lane; i < kCh * kN; i += 32) {
    const int c = i / kN, n = i % kN;
    carry[i] = Cfg::kHasInitialState
                   ? p.initial_state[(sb * Cfg::kChannels + d0 + c) * kN + n]
                   : 0.0f;
  }

  const int nItems = nChunks * kTiles;
  if (nItems > 0)
    prefetch(0);
  // Per channel and item: the processed step, step * u, and the output;
  // sum_dt is the lane's total step, so the product of its kItems decays is
  // one exp2 per state instead of a multiply per item.
  float dt[kCh][kItems], dtu[kCh][kItems], acc[kCh][kItems], sum_dt[kCh];
  // The body of one work item for lanes of I steps each: I = kItems for a
  // full chunk; a final chunk shorter than a half or a quarter of one (a
  // short prompt) takes I = kItems / 2 or kItems / 4, so the lanes do not
  // spend their exps on steps past the end. Every state tile of a chunk
  // takes the same I, so the registers loaded at nt == 0 match.
  auto body = [&](auto itemsTag, int nt, index_t t0, int chunk_len,
                  const T *acts, const T *tileB, const T *tileC) {
    constexpr int I = decltype(itemsTag)::value;
    const int valid = min(max(chunk_len - lane * I, 0), I);
    if (nt == 0) {
#pragma unroll
      for (int c = 0; c < kCh; ++c) {
        const int row = warp * kCh + c;
        float u[I], dti[I];
        load_row<T, I>(acts + row * kChunk + lane * I, u, true);
        load_row<T, I>(acts + kAct + row * kChunk + lane * I, dti, true);
        sum_dt[c] = 0.0f;
#pragma unroll
        for (int i = 0; i < I; ++i) {
          float v = dti[i] + dt_bias[c];
          if (Cfg::kDeltaSoftplus)
            v = softplus(v);
          // Steps past the end become the identity (decay 1, no input), so
          // the inner loop needs no bounds checks.
          v = i < valid ? v : 0.0f;
          dt[c][i] = v;
          dtu[c][i] = v * u[i];
          acc[c][i] = D_skip[c] * u[i];
          sum_dt[c] += v;
        }
      }
    }

#pragma unroll 1
    for (int nn = 0; nn < kNTile; ++nn) {
      const int n = nt * kNTile + nn;
      float Bv[I], Cv[I];
      if (Cfg::kVariableB)
        load_row<T, I>(tileB + nn * kChunk + lane * I, Bv, true);
      if (Cfg::kVariableC)
        load_row<T, I>(tileC + nn * kChunk + lane * I, Cv, true);
#pragma unroll
      for (int c = 0; c < kCh; ++c) {
        const int d = d0 + c;
        const float A2 = __ldg(p.A + d * kN + n) * kLog2e;
        if (!Cfg::kVariableB) {
          const float v = __ldg(static_cast<const float *>(p.B) + d * kN + n);
#pragma unroll
          for (int i = 0; i < I; ++i)
            Bv[i] = v;
        }
        if (!Cfg::kVariableC) {
          const float v = __ldg(static_cast<const float *>(p.C) + d * kN + n);
#pragma unroll
          for (int i = 0; i < I; ++i)
            Cv[i] = v;
        }
        float a[I], bx[I];
        float agg_b = 0.0f;
#pragma unroll
        for (int i = 0; i < I; ++i) {
          a[i] = exp2_approx(dt[c][i] * A2);
          bx[i] = dtu[c][i] * Bv[i];
          agg_b = a[i] * agg_b + bx[i];
        }
        float agg_a = exp2_approx(sum_dt[c] * A2);
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
        for (int i = 0; i < I; ++i) {
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

    if (nt == kTiles - 1) {
      const index_t t_lane = t0 + lane * I;
#pragma unroll
      for (int c = 0; c < kCh; ++c) {
        const int row = warp * kCh + c;
        float o[I];
#pragma unroll
        for (int i = 0; i < I; ++i)
          o[i] = acc[c][i];
        if (Cfg::kHasZ) {
          float z[I];
          load_row<T, I>(acts + 2 * kAct + row * kChunk + lane * I, z, true);
#pragma unroll
          for (int i = 0; i < I; ++i)
            o[i] *= silu(z[i]);
        }
        T *o_ptr = out_rows + (d0 + c) * p.out_d_stride + t_lane;
        if (valid == I)
          store_row<T, I>(o_ptr, o, vec);
        else
          store_row_guarded<T, I>(o_ptr, o, valid);
      }
    }
  };

  for (int item = 0; item < nItems; ++item) {
    const int chunk = item / kTiles, nt = item % kTiles;
    const pos_t t0 = pos_t(chunk) * kChunk;
    const int chunk_len = seqlen - t0 < kChunk ? int(seqlen - t0) : kChunk;
    if (item + 1 < nItems) {
      prefetch(item + 1);
      cp_async_wait<1>();
    } else {
      cp_async_wait<0>();
    }
    __syncthreads();
    const T *acts = s_acts + (chunk % 2) * kChunkElems;
    const T *tileB = s_tiles + (item % 2) * kTileElems;
    const T *tileC = tileB + (Cfg::kVariableB ? kBC : 0);
    constexpr int kHalf = kItems / 2 >= 1 ? kItems / 2 : 1;
    constexpr int kQuarter = kItems / 4 >= 1 ? kItems / 4 : 1;
    if (kItems >= 4 && chunk_len <= 32 * kQuarter)
      body(IntConst<kQuarter>(), nt, t0, chunk_len, acts, tileB, tileC);
    else if (kItems >= 2 && chunk_len <= 32 * kHalf)
      body(IntConst<kHalf>(), nt, t0, chunk_len, acts, tileB, tileC);
    else
      body(IntConst<kItems>(), nt, t0, chunk_len, acts, tileB, tileC);
    // The next iteration refills this item's stages.
    __syncthreads();
  }

  if (Cfg::kHasLastState) {
    for (int i = lane; i < kCh * kN; i += 32) {
      const int c = i / kN, n = i % kN;
      p.last_state[(sb * Cfg::kChannels + d0 + c) * kN + n] = carry[i];
    }
  }
}

/// Sums v[i] over the kLanes lanes of a segment (kLanes a power of two, the
/// segments aligned in the warp) for kLanes values at once: a butterfly that
/// halves the values each round, so the sums of kLanes steps cost kLanes - 1
/// shuffles instead of kLanes * log2(kLanes). Returns the sum of v[j] for
/// j = lane % kLanes.
template <int kLanes>
__device__ __forceinline__ float segment_sum_transpose(float (&v)[kLanes],
                                                       int lane) {
#pragma unroll
  for (int half = kLanes / 2; half >= 1; half /= 2) {
    const bool upper = lane & half;
#pragma unroll
    for (int i = 0; i < half; ++i) {
      const float send = upper ? v[i] : v[i + half];
      const float keep = upper ? v[i + half] : v[i];
      v[i] = keep + __shfl_xor_sync(0xffffffffu, send, half);
    }
  }
  return v[0];
}

/// The state-parallel variant (tile {warps, steps}), for short sequences and
/// many channels, where the chunked kernel above leaves most lanes idle:
/// - A warp owns 32 / kLanes channels of one batch row, kLanes = min(N, 32)
///   lanes per channel; each lane holds N / kLanes states of its channel in
///   registers and walks the sequence step by step, so no shuffle sits on the
///   recurrence and a step costs one exp per (channel, state) and two FMAs.
/// - The block stages kSteps steps at a time into shared memory as f32: the
///   processed step dt = softplus(delta + bias) and dt * u once per (channel,
///   step), B and C once per (state, step) for all of the block's channels.
/// - y = sum_n C x is reduced over the lanes of a channel kLanes steps at a
///   time by segment_sum_transpose, then the block applies D, silu(z) and
///   stores the chunk with coalesced writes.
template <typename Cfg>
__device__ __forceinline__ void
selective_scan_by_state(const SelectiveScanParams &p) {
  using T = typename Cfg::input_t;
  constexpr int kN = Cfg::kDState;
  constexpr int kLanes = kN < 32 ? kN : 32;
  constexpr int kStates = kN / kLanes; // per lane
  constexpr int kChPerWarp = 32 / kLanes;
  constexpr int kWarps = Cfg::kWarps;
  constexpr int kThreads = kWarps * 32;
  constexpr int kBlockCh = kWarps * kChPerWarp;
  constexpr int kSteps = Cfg::kSteps;
  constexpr int kRow = kSteps + 4; // f32 row pitch: spreads the banks
  static_assert(32 % kLanes == 0 && kN % kLanes == 0,
                "d_state must divide 32 or be a multiple of 32");
  static_assert(kSteps % kLanes == 0 && kSteps % 4 == 0,
                "steps must be a multiple of the lanes per channel and of 4");

  // Shared memory (f32): dt, dt * u, u, y [kBlockCh][kRow]; B, C [kN][kRow].
  extern __shared__ __align__(16) unsigned char smem[];
  float *s_dt = reinterpret_cast<float *>(smem);
  float *s_dtu = s_dt + kBlockCh * kRow;
  float *s_u = s_dtu + kBlockCh * kRow;
  float *s_y = s_u + kBlockCh * kRow;
  float *s_B = s_y + kBlockCh * kRow;
  float *s_C = s_B + (Cfg::kVariableB ? kN * kRow : 0);

  const int warp = threadIdx.x >> 5;
  const int lane = threadIdx.x & 31;
  const int seg = lane / kLanes; // channel of the lane within the warp
  const int j = lane % kLanes;   // lane within the channel
  // As in selective_scan: activation row, state row, the block's steps.
  using pos_t = typename Select<Cfg::kPacked, int, index_t>::type;
  const index_t b = Cfg::kPacked ? 0 : blockIdx.y;
  const index_t sb = blockIdx.y;
  index_t t_begin = 0, len_s = p.seqlen;
  if (Cfg::kPacked)
    packed_range(p.cu_seqlens, sb, p.seqlen, t_begin, len_s);
  const pos_t seqlen = pos_t(len_s);
  const int block_d0 = blockIdx.x * kBlockCh;
  const int ch = warp * kChPerWarp + seg; // channel within the block
  const int d = block_d0 + ch;
  const int group_B = block_d0 / (Cfg::kChannels / Cfg::kGroupsB);
  const int group_C = block_d0 / (Cfg::kChannels / Cfg::kGroupsC);

  const T *u_rows = static_cast<const T *>(p.u) + b * p.u_batch_stride +
                    block_d0 * p.u_d_stride + t_begin;
  const T *dl_rows = static_cast<const T *>(p.delta) +
                     b * p.delta_batch_stride + block_d0 * p.delta_d_stride +
                     t_begin;
  const T *z_rows = static_cast<const T *>(p.z) + b * p.z_batch_stride +
                    block_d0 * p.z_d_stride + t_begin;
  T *out_rows = static_cast<T *>(p.out) + b * p.out_batch_stride +
                block_d0 * p.out_d_stride + t_begin;
  const T *B_rows = static_cast<const T *>(p.B) + b * p.B_batch_stride +
                    group_B * p.B_group_stride + t_begin;
  const T *C_rows = static_cast<const T *>(p.C) + b * p.C_batch_stride +
                    group_C * p.C_group_stride + t_begin;

  // The lane's states n = j + s * kLanes.
  float A2[kStates], x[kStates], Bc[kStates], Cc[kStates];
#pragma unroll
  for (int s = 0; s < kStates; ++s) {
    const int n = j + s * kLanes;
    A2[s] = __ldg(p.A + d * kN + n) * kLog2e;
    x[s] = Cfg::kHasInitialState
               ? p.initial_state[(sb * Cfg::kChannels + d) * kN + n]
               : 0.0f;
    Bc[s] = Cfg::kVariableB
                ? 0.0f
                : __ldg(static_cast<const float *>(p.B) + d * kN + n);
    Cc[s] = Cfg::kVariableC
                ? 0.0f
                : __ldg(static_cast<const float *>(p.C) + d * kN + n);
  }

  for (pos_t t0 = 0; t0 < seqlen; t0 += kSteps) {
    const int len = seqlen - t0 < kSteps ? int(seqlen - t0) : kSteps;
    // Stage the chunk; steps past the end are the identity (dt = 0).
    for (int idx = threadIdx.x; idx < kBlockCh * kSteps; idx += kThreads) {
      const int c = idx / kSteps, t = idx % kSteps;
      float dt = 0.0f, u = 0.0f;
      if (t < len) {
        u = to_float(u_rows[c * p.u_d_stride + t0 + t]);
        dt = to_float(dl_rows[c * p.delta_d_stride + t0 + t]);
        if (Cfg::kHasDeltaBias)
          dt += p.delta_bias[block_d0 + c];
        if (Cfg::kDeltaSoftplus)
          dt = softplus(dt);
      }
      s_dt[c * kRow + t] = dt;
      s_dtu[c * kRow + t] = dt * u;
      s_u[c * kRow + t] = u;
    }
    if (Cfg::kVariableB || Cfg::kVariableC)
      for (int idx = threadIdx.x; idx < kN * kSteps; idx += kThreads) {
        const int n = idx / kSteps, t = idx % kSteps;
        if (Cfg::kVariableB)
          s_B[n * kRow + t] =
              t < len ? to_float(B_rows[n * p.B_n_stride + t0 + t]) : 0.0f;
        if (Cfg::kVariableC)
          s_C[n * kRow + t] =
              t < len ? to_float(C_rows[n * p.C_n_stride + t0 + t]) : 0.0f;
      }
    __syncthreads();

    const float *dt_row = s_dt + ch * kRow;
    const float *dtu_row = s_dtu + ch * kRow;
#pragma unroll 1
    for (int g = 0; g < kSteps; g += kLanes) {
      if (g >= len)
        break;
      float v[kLanes];
#pragma unroll
      for (int i = 0; i < kLanes; i += 4) {
        const float4 dt4 = *reinterpret_cast<const float4 *>(dt_row + g + i);
        const float4 dtu4 = *reinterpret_cast<const float4 *>(dtu_row + g + i);
        const float dts[4] = {dt4.x, dt4.y, dt4.z, dt4.w};
        const float dtus[4] = {dtu4.x, dtu4.y, dtu4.z, dtu4.w};
#pragma unroll
        for (int k = 0; k < 4; ++k)
          v[i + k] = 0.0f;
#pragma unroll
        for (int s = 0; s < kStates; ++s) {
          const int n = j + s * kLanes;
          // Four steps of B or C at state n: staged per token, or the
          // channel's constant.
          auto four = [&](bool variable, const float *rows, float constant,
                          float(&out)[4]) {
            if (variable) {
              const float4 q =
                  *reinterpret_cast<const float4 *>(rows + n * kRow + g + i);
              out[0] = q.x, out[1] = q.y, out[2] = q.z, out[3] = q.w;
            } else {
#pragma unroll
              for (int k = 0; k < 4; ++k)
                out[k] = constant;
            }
          };
          float Bs[4], Cs[4];
          four(Cfg::kVariableB, s_B, Bc[s], Bs);
          four(Cfg::kVariableC, s_C, Cc[s], Cs);
#pragma unroll
          for (int k = 0; k < 4; ++k) {
            x[s] = exp2_approx(dts[k] * A2[s]) * x[s] + dtus[k] * Bs[k];
            v[i + k] += x[s] * Cs[k];
          }
        }
      }
      s_y[ch * kRow + g + j] = segment_sum_transpose<kLanes>(v, lane);
    }
    __syncthreads();

    // y + D u, times silu(z), stored along the sequence.
    for (int idx = threadIdx.x; idx < kBlockCh * kSteps; idx += kThreads) {
      const int c = idx / kSteps, t = idx % kSteps;
      if (t >= len)
        continue;
      float o = s_y[c * kRow + t];
      if (Cfg::kHasD)
        o += p.D[block_d0 + c] * s_u[c * kRow + t];
      if (Cfg::kHasZ)
        o *= silu(to_float(z_rows[c * p.z_d_stride + t0 + t]));
      out_rows[c * p.out_d_stride + t0 + t] = from_float<T>(o);
    }
    // The next chunk overwrites the staged rows.
    __syncthreads();
  }

  if (Cfg::kHasLastState) {
#pragma unroll
    for (int s = 0; s < kStates; ++s)
      p.last_state[(sb * Cfg::kChannels + d) * kN + j + s * kLanes] = x[s];
  }
}

} // namespace device
} // namespace mamba
