//===- Mma.cuh - warp-level tensor-core tiles -----------------------------===//
//
// One k-step of 16 of a warp-level 16 x 8 product on tensor cores
// (mma.sync, sm_80+), with operands read from shared memory:
// - 16-bit types use m16n8k16 and ldmatrix (x4 for A, x2 for B), plain or
//   transposed depending on how the operand is stored;
// - f32 uses m16n8k8 in "3xTF32": each operand is split into a TF32 "big"
//   part and the TF32 rounding of the rest, and big*small + small*big +
//   big*big recovers f32 accuracy (about 1e-6 relative) on tensor cores.
//
// Fragment layouts (PTX ISA, mma.m16n8k16 / m16n8k8), with g = lane / 4 and
// t = lane % 4: the accumulator holds (g, 2t), (g, 2t+1), (g+8, 2t),
// (g+8, 2t+1) of the 16 x 8 tile.
//
// Operand storage names: A is M x K, B is K x N.
// - load_a<false>: A stored [m][k] (k contiguous); load_a<true>: [k][m].
// - load_b<false>: B stored [n][k] (k contiguous); load_b<true>: [k][n].
// `ld` is the row length of the stored matrix in elements.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"

namespace mamba {
namespace device {

__device__ __forceinline__ unsigned smem_addr(const void *p) {
  return static_cast<unsigned>(__cvta_generic_to_shared(p));
}

template <typename T> struct Mma16 {
  struct FragA {
    unsigned r[4];
  };
  struct FragB {
    unsigned r[2];
  };

  template <bool kTransposed>
  static __device__ __forceinline__ void load_a(FragA &a, const T *s, int ld,
                                                int m0, int k0) {
    const int lane = threadIdx.x & 31;
    const T *ptr;
    if (!kTransposed) // lanes 0-15: rows m0.., col k0; lanes 16-31: col k0+8
      ptr = s + (m0 + (lane & 15)) * ld + k0 + (lane >> 4) * 8;
    else // stored rows are k: matrices (k0, m0), (k0, m0+8), (k0+8, m0), ...
      ptr = s + (k0 + (lane & 7) + (lane >> 4) * 8) * ld + m0 +
            ((lane >> 3) & 1) * 8;
    if (!kTransposed)
      asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];"
                   : "=r"(a.r[0]), "=r"(a.r[1]), "=r"(a.r[2]), "=r"(a.r[3])
                   : "r"(smem_addr(ptr)));
    else
      asm volatile(
          "ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];"
          : "=r"(a.r[0]), "=r"(a.r[1]), "=r"(a.r[2]), "=r"(a.r[3])
          : "r"(smem_addr(ptr)));
  }

  template <bool kTransposed>
  static __device__ __forceinline__ void load_b(FragB &b, const T *s, int ld,
                                                int k0, int n0) {
    const int lane = threadIdx.x & 15; // x2 reads addresses of lanes 0-15
    const T *ptr;
    if (!kTransposed) // stored [n][k]: rows n0.., cols k0 and k0+8
      ptr = s + (n0 + (lane & 7)) * ld + k0 + (lane >> 3) * 8;
    else // stored [k][n]: rows k0..k0+15, col n0
      ptr = s + (k0 + lane) * ld + n0;
    if (!kTransposed)
      asm volatile("ldmatrix.sync.aligned.m8n8.x2.shared.b16 {%0,%1}, [%2];"
                   : "=r"(b.r[0]), "=r"(b.r[1])
                   : "r"(smem_addr(ptr)));
    else
      asm volatile(
          "ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0,%1}, [%2];"
          : "=r"(b.r[0]), "=r"(b.r[1])
          : "r"(smem_addr(ptr)));
  }
};

template <typename T> struct Mma;

template <> struct Mma<__nv_bfloat16> : Mma16<__nv_bfloat16> {
  static __device__ __forceinline__ void mma(float (&c)[4], const FragA &a,
                                             const FragB &b) {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
                 "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a.r[0]), "r"(a.r[1]), "r"(a.r[2]), "r"(a.r[3]),
                   "r"(b.r[0]), "r"(b.r[1]));
  }
};

template <> struct Mma<__half> : Mma16<__half> {
  static __device__ __forceinline__ void mma(float (&c)[4], const FragA &a,
                                             const FragB &b) {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
                 "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a.r[0]), "r"(a.r[1]), "r"(a.r[2]), "r"(a.r[3]),
                   "r"(b.r[0]), "r"(b.r[1]));
  }
};

template <> struct Mma<float> {
  // Two k-halves of 8 per k-step of 16.
  struct FragA {
    float r[8];
  };
  struct FragB {
    float r[4];
  };

  template <bool kTransposed>
  static __device__ __forceinline__ float at(const float *s, int ld, int row,
                                             int col) {
    return kTransposed ? s[col * ld + row] : s[row * ld + col];
  }

  template <bool kTransposed>
  static __device__ __forceinline__ void load_a(FragA &a, const float *s,
                                                int ld, int m0, int k0) {
    const int g = (threadIdx.x & 31) >> 2, t = threadIdx.x & 3;
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int k = k0 + h * 8 + t;
      a.r[h * 4 + 0] = at<kTransposed>(s, ld, m0 + g, k);
      a.r[h * 4 + 1] = at<kTransposed>(s, ld, m0 + g + 8, k);
      a.r[h * 4 + 2] = at<kTransposed>(s, ld, m0 + g, k + 4);
      a.r[h * 4 + 3] = at<kTransposed>(s, ld, m0 + g + 8, k + 4);
    }
  }

  /// B(k, n): stored [n][k] (kTransposed = false) or [k][n].
  template <bool kTransposed>
  static __device__ __forceinline__ void load_b(FragB &b, const float *s,
                                                int ld, int k0, int n0) {
    const int g = (threadIdx.x & 31) >> 2, t = threadIdx.x & 3;
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int k = k0 + h * 8 + t;
      b.r[h * 2 + 0] = at<!kTransposed>(s, ld, k, n0 + g);
      b.r[h * 2 + 1] = at<!kTransposed>(s, ld, k + 4, n0 + g);
    }
  }

  static __device__ __forceinline__ unsigned tf32(float x) {
    unsigned r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return r;
  }

  static __device__ __forceinline__ void mma_tf32(float (&c)[4],
                                                  const unsigned (&a)[4],
                                                  const unsigned (&b)[2]) {
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
                 "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]),
                   "r"(b[1]));
  }

  static __device__ __forceinline__ void mma(float (&c)[4], const FragA &a,
                                             const FragB &b) {
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      unsigned a_big[4], a_small[4], b_big[2], b_small[2];
#pragma unroll
      for (int i = 0; i < 4; ++i) {
        const float x = a.r[h * 4 + i];
        a_big[i] = tf32(x);
        a_small[i] = tf32(x - __uint_as_float(a_big[i]));
      }
#pragma unroll
      for (int i = 0; i < 2; ++i) {
        const float x = b.r[h * 2 + i];
        b_big[i] = tf32(x);
        b_small[i] = tf32(x - __uint_as_float(b_big[i]));
      }
      // Small terms first, so they are not lost against the big product.
      mma_tf32(c, a_big, b_small);
      mma_tf32(c, a_small, b_big);
      mma_tf32(c, a_big, b_big);
    }
  }
};

} // namespace device
} // namespace mamba
