//===- SsdLayout.h - shared-memory layout of the fused SSD kernel -*- C++ -*-=//
//
// Compiled by the host (the launch planner sizes shared memory with it) and
// by NVRTC (the kernel carves shared memory with it), so the two can never
// disagree. Matrices are row-major with every row padded by 16 bytes, which
// keeps ldmatrix and 16-byte accesses of consecutive rows on distinct banks.
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
  // Byte offsets.
  int c, b, x, m, h, dt, cs, seq, total;
};

/// chunk Q, d_state N, channels per block P (p_tile), element bytes of the
/// activations, and whether seq_idx labels are staged.
MAMBA_HOST_DEVICE constexpr SsdLayout ssd_layout(int q, int n, int p, int elt, bool seq) {
  SsdLayout l{};
  const int pad = 16 / elt;
  l.ld_n = n + pad;
  l.ld_p = p + pad;
  l.ld_q = q + pad;
  l.c = 0;                          // C  (Q x N)
  l.b = l.c + q * l.ld_n * elt;     // B  (Q x N)
  l.x = l.b + q * l.ld_n * elt;     // X  (Q x P), later X scaled for the state
  l.m = l.x + q * l.ld_p * elt;     // M = masked, decayed C B^T (Q x Q)
  l.h = l.m + q * l.ld_q * elt;     // state entering the chunk (P x N)
  l.dt = l.h + p * l.ld_n * elt;    // processed dt (Q floats)
  l.cs = l.dt + q * 4;              // cumulative sum of dt * A (Q floats)
  l.seq = l.cs + q * 4;             // seq_idx labels (Q ints), if any
  l.total = l.seq + (seq ? q * 4 : 0);
  return l;
}

} // namespace mamba

#endif // MAMBA_CODEGEN_DEVICE_SSDLAYOUT_H
