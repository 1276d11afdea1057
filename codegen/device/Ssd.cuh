//===- Ssd.cuh - the fused Mamba-2 SSD kernel body ------------------------===//
//
// One launch computes the whole chunked scan (the reference uses five). Grid:
// (H * P / kPTile, Bt). Block: kWarps * 32 threads.
//
// A block owns (batch b, head h, channels [p0, p0 + kPTile) of the head) and
// walks the chunks in order. The kPTile x N state H stays in f32 registers
// (as MMA accumulator fragments) across chunks, so inter-chunk states never
// go through global memory. For each chunk of Q positions, with
// cs = cumsum(dt * A) and dt the processed step:
//
//   M[i,j] = (C_i . B_j) * exp(cs_i - cs_j) * dt_j     for j <= i  (Q x Q)
//   Y      = M X + diag(exp(cs)) C H^T                 (Q x kPTile)
//   out    = (Y + D x) * silu(z)
//   H      = exp(cs_last) H + (X * exp(cs_last - cs) * dt)^T B
//
// The three products run on tensor cores (Mma.cuh). The Q rows of a chunk
// form Q / 16 row tiles; kSplit = kWarps / (Q / 16) warps share a row tile:
// they split the tiles of M on or below the diagonal by column (every
// kSplit-th 8-wide tile), meet at a named barrier of the row tile, and then
// split Y's columns. Every warp also owns a slice of the state. A chunk's
// inputs (C, B, X, z) come into shared memory by asynchronous 16-byte copies,
// all in flight at once; with kStages = 2 the next chunk's copies (and its
// dt, read by warp 0 a chunk ahead) overlap this chunk's math.
//
// The epilogue that writes Y also scales X into X_s in place, each warp its
// own rows and columns, once every warp that reads those columns for M X is
// done (a named barrier per column part).
//
// A chunk thus has four barriers: at the top (its inputs are in, every warp
// is past the previous chunk and has written its slice of H), the row
// tile's (M), the column part's (M X read X), and one after the epilogue
// (X_s is complete, the old H is read). With two stages nothing waits at
// the end of a chunk: the copies of chunk c + 1 are issued right after
// chunk c's top barrier, into the stage chunk c - 1 used.
//
// With kSegments > 1 the grid's z (kSegments at batch 1, fewer at larger
// batches) splits the sequence (ssd_segment_begin in SsdLayout.h): the
// block of segment s walks the chunks before its segment "light" (C's and
// z's copies, M, Y and the output skipped: X_s and the state update remain)
// and computes the outputs of its own chunks, so more blocks share a short
// batch without any block waiting for another; the block of the last chunk
// writes the final states.
//
// Packed (kPacked, cu_seqlens): grid y runs over the S sequences instead of
// the batch rows. The block of sequence s reads batch row 0 from position
// cu_seqlens[s] on, for that sequence's length, with state row s: exactly a
// batch row of that length, so the chunks restart at every boundary (no
// chunk straddles two sequences) and the segment split applies per sequence.
//
// Exponents are clamped at 0 as in the reference, so masked or padded terms
// cannot overflow. Positions past the end get dt = 0 (decay 1, no input).
// With seq_idx, tokens of different labels never interact: M is masked by
// label, the inter-chunk term applies to rows whose label equals that of the
// token before the chunk with no change in between, the state restarts from
// zero when the label changes, and a negative label (padding) is a sequence
// of its own per token.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"
#include "mamba/Mma.cuh"
#include "mamba/SsdLayout.h"

namespace mamba {
namespace device {

/// kCount B operands at columns n0, n0 + kDelta, ...: pairs through one
/// ldmatrix.x4 (Tile2), an odd last one through the x2 view (Tile1).
template <int kCount, int kDelta, typename Tile2, typename Tile1, typename Frag>
__device__ __forceinline__ void load_b_run(const Tile2 &t2, const Tile1 &t1,
                                           Frag (&fb)[kCount], int k0, int n0) {
#pragma unroll
  for (int i = 0; i + 1 < kCount; i += 2)
    t2.load(fb[i], fb[i + 1], k0, n0 + i * kDelta);
  if (kCount % 2 != 0)
    t1.load(fb[kCount - 1], k0, n0 + (kCount - 1) * kDelta);
}

template <typename Cfg>
__device__ __forceinline__ void ssd(const SsdParams &p) {
  using T = typename Cfg::input_t;
  using Ops = Mma<T>;
  constexpr int kN = Cfg::kDState;
  constexpr int kP = Cfg::kHeadDim;
  constexpr int kBP = Cfg::kPTile;
  constexpr int kQ = Cfg::kChunk;
  constexpr int kWarps = Cfg::kWarps;
  constexpr int kStages = Cfg::kStages;
  constexpr int kThreads = kWarps * 32;
  constexpr int kRowTiles = kQ / 16;
  constexpr int kSplit = kWarps / kRowTiles; // warps per row tile
  static_assert(kQ % 16 == 0 && kRowTiles * kSplit == kWarps,
                "the warps split the chunk's 16-row tiles evenly");
  static_assert((kBP / 8) % kSplit == 0, "the warps of a row tile split Y");
  static_assert(kRowTiles + kSplit < 16, "named barriers 1..15");
  constexpr int kYTiles = kBP / 8 / kSplit; // Y's 8-wide tiles per warp
  // The k-loops of the products run fully unrolled for 16-bit inputs; f32's
  // 3xTF32 splits need the registers, so there they stay rolled.
  constexpr int kUnrollK = sizeof(T) == 4 ? 1 : 16;
  static_assert(kStages == 1 || kStages == 2, "one or two stages");
  constexpr SsdLayout kL =
      ssd_layout(kQ, kN, kBP, sizeof(T), Cfg::kHasZ, Cfg::kHasSeqIdx, kStages);
  // The state's (kBP / 16) x (kN / 8) MMA tiles: rows split first.
  constexpr int kMTiles = kBP / 16;
  constexpr int kHM = kMTiles >= kWarps ? kMTiles / kWarps : 1;
  constexpr int kHN =
      kMTiles >= kWarps ? kN / 8 : (kN / 8) / (kWarps / kMTiles);
  constexpr int kVec = 16 / sizeof(T);
  constexpr int kPer = kQ / 32; // dt values per lane of warp 0
  constexpr int kSegments = Cfg::kSegments;
  static_assert(kSegments >= 1 && kSegments <= 8, "1 to 8 segments");

  extern __shared__ __align__(16) unsigned char smem[];
  T *s_M = reinterpret_cast<T *>(smem + kL.m);
  T *s_H = reinterpret_cast<T *>(smem + kL.h);

  const int tid = thread_index();
  const int warp = tid >> 5, lane = tid & 31;
  const int g8 = lane >> 2, t4 = lane & 3;
  const int h = blockIdx.x / (kP / kBP);
  const int p0 = (blockIdx.x % (kP / kBP)) * kBP;
  const int grp = h / (Cfg::kHeads / Cfg::kGroups);
  // The batch row of the inputs, the state row, and the block's positions
  // [t_begin, t_begin + T_len) of that row.
  const index_t b = Cfg::kPacked ? 0 : blockIdx.y;
  const index_t sb = blockIdx.y;
  // Positions and chunk counts of a packed sequence are 32-bit (cu_seqlens
  // is i32): they live in registers there, where the unpacked kernel's come
  // from the launch parameters.
  using pos_t = typename Select<Cfg::kPacked, int, index_t>::type;
  index_t t_begin = 0, len_s = p.seqlen;
  if (Cfg::kPacked)
    packed_range(p.cu_seqlens, sb, p.seqlen, t_begin, len_s);
  const pos_t T_len = pos_t(len_s);
  const pos_t n_chunks = (T_len + kQ - 1) / kQ;
  // This block's outputs are chunks [c_begin, c_end); it walks the chunks
  // before them for the state only.
  pos_t c_begin = 0, c_end = n_chunks;
  if (kSegments > 1) {
    // The launch shrinks the split as the batch grows (up to kSegments).
    const int segments = int(gridDim.z);
    c_begin = pos_t(ssd_segment_begin(n_chunks, segments, int(blockIdx.z)));
    c_end = pos_t(ssd_segment_begin(n_chunks, segments, int(blockIdx.z) + 1));
    // An empty segment has nothing to do (the whole block leaves before any
    // barrier); with no chunk at all, segment 0 writes the final states.
    if (c_begin == c_end && (n_chunks > 0 || blockIdx.z != 0))
      return;
  }
  const pos_t T_end = c_end * kQ < T_len ? c_end * kQ : T_len;
  // cumsum(dt * A) is kept in log2 units, so every decay is one ex2.
  const float A2 = p.A[h] * kLog2e;
  const float dt_bias =
      Cfg::kHasDtBias
          ? to_float(static_cast<const typename Cfg::dtbias_t *>(p.dt_bias)[h])
          : 0.0f;

  const T *x_base = static_cast<const T *>(p.x) + b * p.x_batch_stride +
                    t_begin * p.x_l_stride + h * p.x_head_stride + p0;
  const T *z_base = static_cast<const T *>(p.z) + b * p.z_batch_stride +
                    t_begin * p.z_l_stride + h * p.z_head_stride + p0;
  T *out_base = static_cast<T *>(p.out) + b * p.out_batch_stride +
                t_begin * p.out_l_stride + h * p.out_head_stride + p0;
  const T *B_base = static_cast<const T *>(p.B) + b * p.B_batch_stride +
                    t_begin * p.B_l_stride + grp * p.B_group_stride;
  const T *C_base = static_cast<const T *>(p.C) + b * p.C_batch_stride +
                    t_begin * p.C_l_stride + grp * p.C_group_stride;
  const typename Cfg::dt_t *dt_base =
      static_cast<const typename Cfg::dt_t *>(p.dt) + b * p.dt_batch_stride +
      t_begin * p.dt_l_stride + h * p.dt_head_stride;
  // 16-byte copies need 16-byte aligned rows at every position.
  const bool vec =
      is_aligned16(x_base) && p.x_l_stride % kVec == 0 &&
      is_aligned16(B_base) && is_aligned16(C_base) &&
      p.B_l_stride % kVec == 0 && p.C_l_stride % kVec == 0 &&
      (!Cfg::kHasZ || (is_aligned16(z_base) && p.z_l_stride % kVec == 0));

  // Output pairs (two adjacent channels) go out as one access when aligned.
  const bool pair_out =
      (reinterpret_cast<uintptr>(out_base) % (2 * sizeof(T))) == 0 &&
      p.out_l_stride % 2 == 0;

  auto stage = [&](int s) { return smem + s * kL.stage_bytes; };

  // Queues the copies of chunk c's C, B, X (and z) into stage s; a light
  // chunk needs B and X only. Rows past the end are zero-filled. Unaligned
  // rows fall back to plain loads.
  auto stageInputs = [&](index_t t0, int len, int s, bool light) {
    T *s_C = reinterpret_cast<T *>(stage(s) + kL.c);
    T *s_B = reinterpret_cast<T *>(stage(s) + kL.b);
    T *s_X = reinterpret_cast<T *>(stage(s) + kL.x);
    T *s_Z = reinterpret_cast<T *>(stage(s) + kL.z);
    if (vec) {
      // Each thread copies one fixed 16-byte column of every kRows-th row,
      // walking pointers instead of recomputing addresses.
      if (!light)
        copy_rows_async<kN, kQ, kThreads>(s_C, kL.ld_n, C_base, p.C_l_stride,
                                          t0, len, tid);
      copy_rows_async<kN, kQ, kThreads>(s_B, kL.ld_n, B_base, p.B_l_stride, t0,
                                        len, tid);
      copy_rows_async<kBP, kQ, kThreads>(s_X, kL.ld_p, x_base, p.x_l_stride, t0,
                                         len, tid);
      if (Cfg::kHasZ && !light)
        copy_rows_async<kBP, kQ, kThreads>(s_Z, kL.ld_p, z_base, p.z_l_stride,
                                           t0, len, tid);
      return;
    }
    for (int idx = tid; idx < kQ * kN; idx += kThreads) {
      const int i = idx / kN, c = idx % kN;
      const bool in = i < len;
      if (!light)
        s_C[i * kL.ld_n + c] =
            in ? C_base[(t0 + i) * p.C_l_stride + c] : from_float<T>(0.0f);
      s_B[i * kL.ld_n + c] =
          in ? B_base[(t0 + i) * p.B_l_stride + c] : from_float<T>(0.0f);
    }
    for (int idx = tid; idx < kQ * kBP; idx += kThreads) {
      const int i = idx / kBP, c = idx % kBP;
      const bool in = i < len;
      s_X[i * kL.ld_p + c] =
          in ? x_base[(t0 + i) * p.x_l_stride + c] : from_float<T>(0.0f);
      if (Cfg::kHasZ && !light)
        s_Z[i * kL.ld_p + c] =
            in ? z_base[(t0 + i) * p.z_l_stride + c] : from_float<T>(0.0f);
    }
  };

  // Warp 0 reads a chunk's raw dt and labels a chunk ahead (into registers),
  // then turns them into the processed dt, cumsum(dt * A) and labels of a
  // stage.
  // The raw values stay in dt's own type until storeDt, so the loads are
  // not waited for before the chunk's math.
  typename Cfg::dt_t raw_dt[kPer];
  int raw_seq[kPer];
  auto loadDt = [&](index_t t0, int len) {
#pragma unroll
    for (int k = 0; k < kPer; ++k) {
      const int i = lane * kPer + k;
      raw_dt[k] = i < len ? dt_base[(t0 + i) * p.dt_l_stride]
                          : from_float<typename Cfg::dt_t>(0.0f);
      raw_seq[k] = Cfg::kHasSeqIdx && i < len
                       ? p.seq_idx[b * p.seq_idx_batch_stride + t0 + i]
                       : -2147483647;
    }
  };
  auto storeDt = [&](int len, int s) {
    float *s_dt = reinterpret_cast<float *>(stage(s) + kL.dt);
    float *s_cs = reinterpret_cast<float *>(stage(s) + kL.cs);
    int *s_seq = reinterpret_cast<int *>(stage(s) + kL.seq);
    float v[kPer];
    float sum = 0.0f;
#pragma unroll
    for (int k = 0; k < kPer; ++k) {
      const int i = lane * kPer + k;
      float d = 0.0f;
      if (i < len) {
        d = to_float(raw_dt[k]) + dt_bias;
        if (Cfg::kDtSoftplus)
          d = softplus(d);
        if (Cfg::kHasDtLimit)
          d = fminf(fmaxf(d, p.dt_min), p.dt_max);
      }
      s_dt[i] = d;
      sum += d * A2;
      v[k] = sum;
      if (Cfg::kHasSeqIdx)
        s_seq[i] = raw_seq[k];
    }
    // An inclusive scan of the lanes' sums gives each lane its offset.
    float incl = sum;
#pragma unroll
    for (int off = 1; off < 32; off <<= 1) {
      const float o = __shfl_up_sync(0xffffffffu, incl, off);
      if (lane >= off)
        incl += o;
    }
#pragma unroll
    for (int k = 0; k < kPer; ++k)
      s_cs[lane * kPer + k] = v[k] + incl - sum;
  };

  // This warp's slice of the state.
  const int h_m0 = kMTiles >= kWarps ? warp * kHM * 16 : (warp % kMTiles) * 16;
  const int h_n0 = kMTiles >= kWarps ? 0 : (warp / kMTiles) * kHN * 8;
  float H[kHM][kHN][4];
  // The rounded copy of H that a chunk's C H^T reads; fragment elements
  // (e, e + 1) are adjacent columns, stored as one pair.
  auto writeH = [&] {
#pragma unroll
    for (int mt = 0; mt < kHM; ++mt)
#pragma unroll
      for (int nt = 0; nt < kHN; ++nt)
#pragma unroll
        for (int e = 0; e < 4; e += 2) {
          const int row = h_m0 + mt * 16 + g8 + (e >= 2 ? 8 : 0);
          const int col = h_n0 + nt * 8 + 2 * t4;
          store_pair(s_H + row * kL.ld_n + col, H[mt][nt][e], H[mt][nt][e + 1]);
        }
  };
#pragma unroll
  for (int mt = 0; mt < kHM; ++mt)
#pragma unroll
    for (int nt = 0; nt < kHN; ++nt)
#pragma unroll
      for (int e = 0; e < 4; ++e) {
        const int row = h_m0 + mt * 16 + g8 + (e >= 2 ? 8 : 0);
        const int col = h_n0 + nt * 8 + 2 * t4 + (e & 1);
        H[mt][nt][e] =
            Cfg::kHasInitialStates
                ? p.initial_states[(((sb * Cfg::kHeads) + h) * kP + p0 + row) *
                                       kN +
                                   col]
                : 0.0f;
      }
  writeH();

  // Prologue: chunk 0 into stage 0.
  {
    const int len0 = T_len < kQ ? int(T_len) : kQ;
    stageInputs(0, len0, 0, c_begin > 0);
    cp_async_commit();
    if (warp == 0) {
      loadDt(0, len0);
      storeDt(len0, 0);
    }
  }

  // The label of the token before the current chunk; initial states belong
  // to the sequence labelled 0.
  int prev_label = 0;

  int c = 0;
  for (pos_t t0 = 0; t0 < T_end; t0 += kQ, ++c) {
    const int len = T_len - t0 < kQ ? int(T_len - t0) : kQ;
    const int s = c % kStages;
    // A chunk before this block's segment: the state update only.
    const bool light = kSegments > 1 && c < c_begin;
    const pos_t t1 = t0 + kQ; // the next chunk
    const int len1 = T_len - t1 < kQ ? int(T_len - t1) : kQ;
    // This chunk's copies are the only ones in flight. After the barrier
    // every warp is past the previous chunk (and has written its slice of
    // the state into s_H).
    cp_async_wait<0>();
    __syncthreads();
    if (kStages == 2) {
      // Stage 1 - s was last read by the previous chunk: the next chunk's
      // copies go there now and overlap this chunk's math.
      if (t1 < T_end) {
        stageInputs(t1, len1, 1 - s, c + 1 < c_begin);
        if (warp == 0)
          loadDt(t1, len1);
      }
      cp_async_commit();
    }

    T *s_C = reinterpret_cast<T *>(stage(s) + kL.c);
    T *s_B = reinterpret_cast<T *>(stage(s) + kL.b);
    T *s_X = reinterpret_cast<T *>(stage(s) + kL.x);
    const T *s_Z = reinterpret_cast<const T *>(stage(s) + kL.z);
    const float *s_dt = reinterpret_cast<const float *>(stage(s) + kL.dt);
    const float *s_cs = reinterpret_cast<const float *>(stage(s) + kL.cs);
    const int *s_seq = reinterpret_cast<const int *>(stage(s) + kL.seq);

    const int rt = warp % kRowTiles, part = warp / kRowTiles;
    const int m0 = rt * 16;            // this warp's rows of the chunk
    const int y0 = part * kYTiles * 8; // and its first column of Y
    const int row_a = m0 + g8, row_b = m0 + g8 + 8;
    // Operand views of this chunk's shared-memory matrices.
    const typename Ops::template TileA<false> tC(s_C, kL.ld_n, lane);
    const typename Ops::template TileB<false> tBt(s_B, kL.ld_n,
                                                  lane); // B^T as K x N
    const typename Ops::template TileB<false> tH(s_H, kL.ld_n, lane);
    const typename Ops::template TileA<false> tM(s_M, kL.ld_q, lane);
    const typename Ops::template TileB<true> tX(s_X, kL.ld_p, lane);
    const typename Ops::template TileA<true> tXs(s_X, kL.ld_p, lane);
    const typename Ops::template TileB<true> tB(s_B, kL.ld_n, lane);

    // M = mask(C B^T) * decay * dt: of the row tile's 8-wide column tiles
    // on or below the diagonal (0 .. 2 rt + 1), this warp takes every
    // kSplit-th, starting at its part.
    constexpr int kMTilesPerWarp = (kQ / 8 + kSplit - 1) / kSplit;
    // Tiles past the chunk's last column exist only when kSplit does not
    // divide its column tiles.
    constexpr bool kMRagged = (kQ / 8) % kSplit != 0;
    const int m_tiles = (2 * rt + 2 - part + kSplit - 1) / kSplit;
    float y[kYTiles][4]; // Y's tiles of this warp
#pragma unroll
    for (int nt = 0; nt < kYTiles; ++nt)
#pragma unroll
      for (int e = 0; e < 4; ++e)
        y[nt][e] = 0.0f;
    if (!light) {
      float acc[kMTilesPerWarp][4];
#pragma unroll
      for (int i = 0; i < kMTilesPerWarp; ++i)
#pragma unroll
        for (int e = 0; e < 4; ++e)
          acc[i][e] = 0.0f;
      const typename Ops::template TileB2<false, kSplit * 8> tBt2(s_B, kL.ld_n,
                                                                  lane);
      const typename Ops::template TileB2<false, 8> tH2(s_H, kL.ld_n, lane);
      // One pass over N forms both products of this warp's rows of C: C B^T
      // (its tiles of M) and C H^T (Y's term from the carried state). Every
      // warp forms all its tiles of M, those above the diagonal too: the
      // row tile's barrier waits for its slowest warp anyway, and without a
      // per-tile branch the loads of a k-step run ahead of its products.
#pragma unroll(kUnrollK)
      for (int k0 = 0; k0 < kN; k0 += 16) {
        typename Ops::FragA fa;
        tC.load(fa, m0, k0);
        if constexpr (!kMRagged) {
          typename Ops::FragB fb[kMTilesPerWarp];
          load_b_run<kMTilesPerWarp, kSplit * 8>(tBt2, tBt, fb, k0, part * 8);
#pragma unroll
          for (int i = 0; i < kMTilesPerWarp; ++i)
            Ops::mma(acc[i], fa, fb[i]);
        } else {
#pragma unroll
          for (int i = 0; i < kMTilesPerWarp; ++i) {
            if (part + i * kSplit >= kQ / 8)
              continue; // past the chunk's last column tile
            typename Ops::FragB fb;
            tBt.load(fb, k0, (part + i * kSplit) * 8);
            Ops::mma(acc[i], fa, fb);
          }
        }
        typename Ops::FragB fh[kYTiles];
        load_b_run<kYTiles, 8>(tH2, tH, fh, k0, y0);
#pragma unroll
        for (int nt = 0; nt < kYTiles; ++nt)
          Ops::mma(y[nt], fa, fh[nt]);
      }
      const float cs_row[2] = {s_cs[row_a], s_cs[row_b]};
#pragma unroll
      for (int i = 0; i < kMTilesPerWarp; ++i) {
        if (i >= m_tiles)
          continue;
        const int j0 = (part + i * kSplit) * 8 + 2 * t4;
        const float cs_col[2] = {s_cs[j0], s_cs[j0 + 1]};
        const float dt_col[2] = {s_dt[j0], s_dt[j0 + 1]};
#pragma unroll
        for (int r = 0; r < 2; ++r) {
          const int row = r ? row_b : row_a;
          float v[2];
#pragma unroll
          for (int k = 0; k < 2; ++k) {
            const int j = j0 + k;
            bool keep = j <= row && row < len;
            // Padding (a negative label) is a sequence of its own per token.
            if (Cfg::kHasSeqIdx)
              keep = keep && s_seq[row] == s_seq[j] &&
                     (s_seq[row] >= 0 || row == j);
            // cs never increases along the chunk, so for j <= row the
            // exponent is <= 0; masked entries are selected away, never
            // multiplied.
            v[k] = keep ? acc[i][2 * r + k] *
                              exp2_approx(cs_row[r] - cs_col[k]) * dt_col[k]
                        : 0.0f;
          }
          store_pair(s_M + row * kL.ld_q + j0, v[0], v[1]);
        }
      }
      // The warps of this row tile read each other's tiles of M.
      named_barrier<kSplit * 32>(1 + rt);

      // Y = M X + diag(exp(cs)) C H^T, then the epilogue.
      bool inter_a = true, inter_b = true;
      if (Cfg::kHasSeqIdx) {
        // The carried state reaches row i only if no label changes between
        // the token before the chunk and i (labels never decrease, so
        // checking the chunk's first row and row i suffices).
        const bool open = s_seq[0] == prev_label && prev_label >= 0;
        inter_a = open && row_a < len && s_seq[row_a] == prev_label;
        inter_b = open && row_b < len && s_seq[row_b] == prev_label;
      }
      const float scale_a =
          inter_a ? exp2_approx(fminf(s_cs[row_a], 0.0f)) : 0.0f;
      const float scale_b =
          inter_b ? exp2_approx(fminf(s_cs[row_b], 0.0f)) : 0.0f;
#pragma unroll
      for (int nt = 0; nt < kYTiles; ++nt) {
        y[nt][0] *= scale_a;
        y[nt][1] *= scale_a;
        y[nt][2] *= scale_b;
        y[nt][3] *= scale_b;
      }
      const typename Ops::template TileB2<true, 8> tX2(s_X, kL.ld_p, lane);
      for (int k0 = 0; k0 < m0 + 16; k0 += 16) {
        typename Ops::FragA fa;
        tM.load(fa, m0, k0);
        typename Ops::FragB fb[kYTiles];
        load_b_run<kYTiles, 8>(tX2, tX, fb, k0, y0);
#pragma unroll
        for (int nt = 0; nt < kYTiles; ++nt)
          Ops::mma(y[nt], fa, fb[nt]);
      }
      // With two stages, warp 0 (row tile 0: the least M X work) prepares
      // the next chunk's dt in the other stage while the warps of its
      // columns finish M X, instead of after the chunk while all wait.
      if (kStages == 2 && warp == 0 && t1 < T_end)
        storeDt(len1, 1 - s);
      // The epilogue overwrites this warp's rows and columns of X with X_s;
      // the warps of the same columns must be done reading X for M X.
      named_barrier<kRowTiles * 32>(1 + kRowTiles + part);
    }
    {
      // X_s = X * exp(cs_last - cs) * dt, restricted to the last label.
      const float cs_last = s_cs[len - 1];
      const int last_label = Cfg::kHasSeqIdx ? s_seq[len - 1] : 0;
      float w[2];
#pragma unroll
      for (int r = 0; r < 2; ++r) {
        const int i = r ? row_b : row_a;
        bool keep = i < len;
        if (Cfg::kHasSeqIdx)
          keep = keep && s_seq[i] == last_label && last_label >= 0;
        w[r] =
            keep ? exp2_approx(fminf(cs_last - s_cs[i], 0.0f)) * s_dt[i] : 0.0f;
      }
      T *const out_row[2] = {out_base + (t0 + row_a) * p.out_l_stride,
                             out_base + (t0 + row_b) * p.out_l_stride};
      const auto *Dv = static_cast<const typename Cfg::dparam_t *>(p.D);
      const float d_head =
          Cfg::kHasD && !Cfg::kDPerChannel ? to_float(Dv[h]) : 0.0f;
#pragma unroll
      for (int nt = 0; nt < kYTiles; ++nt) {
        const int col = y0 + nt * 8 + 2 * t4; // and col + 1
        float d[2] = {d_head, d_head};
        if (Cfg::kHasD && Cfg::kDPerChannel && !light) {
          d[0] = to_float(Dv[h * kP + p0 + col]);
          d[1] = to_float(Dv[h * kP + p0 + col + 1]);
        }
#pragma unroll
        for (int r = 0; r < 2; ++r) {
          const int i = r ? row_b : row_a;
          // Rows past the end were zero-filled and stay zero.
          if (i >= len)
            continue;
          T *px = s_X + i * kL.ld_p + col;
          const float2 xv = load_pair(px);
          store_pair(px, xv.x * w[r], xv.y * w[r]);
          if (light)
            continue;
          float v0 = y[nt][2 * r], v1 = y[nt][2 * r + 1];
          if (Cfg::kHasD) {
            v0 += d[0] * xv.x;
            v1 += d[1] * xv.y;
          }
          if (Cfg::kHasZ) {
            const float2 zv = load_pair(s_Z + i * kL.ld_p + col);
            v0 *= silu(zv.x);
            v1 *= silu(zv.y);
          }
          T *o = out_row[r] + col;
          if (pair_out) {
            store_pair(o, v0, v1);
          } else {
            o[0] = from_float<T>(v0);
            o[1] = from_float<T>(v1);
          }
        }
      }
    }
    __syncthreads(); // X_s is complete; every read of the old H is done

    // H = decay * H + X_s^T B; a label change restarts the state.
    const float cs_last = s_cs[len - 1];
    const int last_label = Cfg::kHasSeqIdx ? s_seq[len - 1] : 0;
    const bool carry =
        !Cfg::kHasSeqIdx ||
        (last_label == prev_label && s_seq[0] == prev_label && last_label >= 0);
    const float decay = carry ? exp2_approx(fminf(cs_last, 0.0f)) : 0.0f;
#pragma unroll
    for (int mt = 0; mt < kHM; ++mt)
#pragma unroll
      for (int nt = 0; nt < kHN; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e)
          H[mt][nt][e] *= decay;
    const typename Ops::template TileB2<true, 8> tB2(s_B, kL.ld_n, lane);
#pragma unroll(kUnrollK)
    for (int k0 = 0; k0 < kQ; k0 += 16) {
      typename Ops::FragB fb[kHN];
      load_b_run<kHN, 8>(tB2, tB, fb, k0, h_n0);
#pragma unroll
      for (int mt = 0; mt < kHM; ++mt) {
        typename Ops::FragA fa;
        tXs.load(fa, h_m0 + mt * 16, k0);
#pragma unroll
        for (int nt = 0; nt < kHN; ++nt)
          Ops::mma(H[mt][nt], fa, fb[nt]);
      }
    }
    // A light chunk has no M X to hide the next chunk's dt loads behind:
    // warp 0 waits for them after its share of the state update.
    if (light && kStages == 2 && warp == 0 && t1 < T_end)
      storeDt(len1, 1 - s);
    prev_label = last_label;
    if (c + 1 >= c_begin) // the next chunk's C H^T reads it
      writeH();
    if (kStages == 1 && t1 < T_end) {
      // The one stage is free once every warp is done with this chunk.
      // Nothing overlaps, but every copy is in flight at once instead of
      // one load after another.
      __syncthreads();
      stageInputs(t1, len1, 0, c + 1 < c_begin);
      cp_async_commit();
      if (warp == 0) {
        loadDt(t1, len1);
        storeDt(len1, 0);
      }
    }
  }

  if (Cfg::kHasFinalStates && c_end == n_chunks) {
#pragma unroll
    for (int mt = 0; mt < kHM; ++mt)
#pragma unroll
      for (int nt = 0; nt < kHN; ++nt)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const int row = h_m0 + mt * 16 + g8 + (e >= 2 ? 8 : 0);
          const int col = h_n0 + nt * 8 + 2 * t4 + (e & 1);
          p.final_states[(((sb * Cfg::kHeads) + h) * kP + p0 + row) * kN +
                         col] = H[mt][nt][e];
        }
  }
}

} // namespace device
} // namespace mamba
