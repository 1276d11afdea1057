//===- SsdLayout.h - shared-memory layout of the fused SSD kernel -*- C++ -*-=//
//
// Compiled by the host (the launch planner sizes shared memory with it) and
// by NVRTC (the kernel carves shared memory with it), so the two can never
// disagree. Matrices are row-major with every row padded by 16 bytes, which
// keeps ldmatrix and 16-byte accesses of consecutive rows on distinct banks.
//
// The inputs of a chunk (C, B, X, z, the processed dt and its cumulative
// sum, the labels) live in one "stage"; with two stages the kernel fills the
// next chunk's stage with asynchronous copies while it computes this one.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_CODEGEN_DEVICE_SSDLAYOUT_H
#define MAMBA_CODEGEN_DEVICE_SSDLAYOUT_H

#if defined(__CUDACC__) || defined(__CUDACC_RTC__)
#define MAMBA_HOST_DEVICE __host__ __device__
#else
#define MAMBA_HOST_DEVICE
#endif

namespace mamba {

struct SsdLayout {
  // Row lengths (elements) of the padded matrices.
  int ld_n, ld_p, ld_q;
  // Byte offsets within stage 0; stage s adds s * stage_bytes.
  int c, b, x, z, dt, cs, seq, stage_bytes;
  // Byte offsets of the buffers shared by both stages.
  int m, h, total;
};

/// chunk Q, d_state N, channels per block P (p_tile), element bytes of the
/// activations, whether z and seq_idx are staged, and the number of stages.
MAMBA_HOST_DEVICE constexpr SsdLayout ssd_layout(int q, int n, int p, int elt,
                                                 bool z, bool seq, int stages) {
  SsdLayout l{};
  const int pad = 16 / elt;
  l.ld_n = n + pad;
  l.ld_p = p + pad;
  l.ld_q = q + pad;
  l.c = 0;                                 // C  (Q x N)
  l.b = l.c + q * l.ld_n * elt;            // B  (Q x N)
  l.x = l.b + q * l.ld_n * elt;            // X  (Q x P), later scaled
  l.z = l.x + q * l.ld_p * elt;            // z  (Q x P), if any
  l.dt = l.z + (z ? q * l.ld_p * elt : 0); // processed dt (Q floats)
  l.cs = l.dt + q * 4;                     // cumsum of dt * A (Q floats)
  l.seq = l.cs + q * 4;                    // labels (Q ints), if any
  l.stage_bytes = l.seq + (seq ? q * 4 : 0);
  l.m = stages * l.stage_bytes; // M = masked decayed C B^T (Q x Q)
  l.h = l.m + q * l.ld_q * elt; // state entering the chunk (P x N)
  l.total = l.h + p * l.ld_n * elt;
  return l;
}

/// The first chunk of segment `s` (0 <= s <= segments; s = segments gives
/// n_chunks) when `segments` blocks split a sequence of n_chunks chunks.
/// The block of segment s walks chunks [0, begin(s)) for the state only (a
/// "light" chunk: X_s^T B, about a quarter of a full chunk's work) and
/// computes the outputs of [begin(s), begin(s + 1)). Equal work per block
/// makes segment lengths shrink by 3/4 from one segment to the next, so the
/// weights are 3^s 4^(segments - 1 - s); segments <= 8 keeps them small.
MAMBA_HOST_DEVICE constexpr long long ssd_segment_begin(long long n_chunks,
                                                        int segments, int s) {
  long long total = 0, before = 0, w = 1;
  for (int k = 1; k < segments; ++k)
    w *= 4; // w = 3^k 4^(segments - 1 - k), starting at k = 0
  for (int k = 0; k < segments; ++k) {
    if (k < s)
      before += w;
    total += w;
    w = w / 4 * 3;
  }
  return (n_chunks * before + total / 2) / total;
}

} // namespace mamba

#endif // MAMBA_CODEGEN_DEVICE_SSDLAYOUT_H
