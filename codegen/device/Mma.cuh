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
// Operands are read through Tile views made once per matrix: A is M x K,
// B is K x N; TileA<T, false> reads A stored [m][k] (k contiguous) and
// TileA<T, true> A stored [k][m]; TileB<T, false> reads B stored [n][k] and
// TileB<T, true> B stored [k][n]. `ld` is the row length of the stored
// matrix in elements, `lane` the calling thread's lane (passed in, so that
// threadIdx.x is read once per kernel, not per view). For 16-bit types a
// view holds the shared-memory
// address of this lane's ldmatrix row for the tile at (0, 0), so each load is
// one ldmatrix at a base plus a constant offset, with no per-load index math.
//
// The ldmatrix loads are volatile, so they never move across a barrier; the
// mma statements are not: they only read and write registers, and the
// compiler may then issue a k-step's loads ahead of its products instead of
// waiting on each load in turn.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mamba/Common.cuh"

namespace mamba {
namespace device {

__device__ __forceinline__ unsigned smem_addr(const void *p) {
  return static_cast<unsigned>(__cvta_generic_to_shared(p));
}

template <typename T> struct Frag16 {
  struct A {
    unsigned r[4];
  };
  struct B {
    unsigned r[2];
  };
};

/// ldmatrix of four 8 x 8 b16 matrices (lanes 8j..8j+7 address the rows of
/// matrix j), plain or transposed.
template <bool kTrans>
__device__ __forceinline__ void ldmatrix_x4(unsigned addr, unsigned &r0,
                                            unsigned &r1, unsigned &r2,
                                            unsigned &r3) {
  if (!kTrans)
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];"
                 : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3)
                 : "r"(addr));
  else
    asm volatile(
        "ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];"
        : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3)
        : "r"(addr));
}

/// ldmatrix of two 8 x 8 b16 matrices (lanes 0-15 address the rows).
template <bool kTrans>
__device__ __forceinline__ void ldmatrix_x2(unsigned addr, unsigned &r0,
                                            unsigned &r1) {
  if (!kTrans)
    asm volatile("ldmatrix.sync.aligned.m8n8.x2.shared.b16 {%0,%1}, [%2];"
                 : "=r"(r0), "=r"(r1)
                 : "r"(addr));
  else
    asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0,%1}, [%2];"
                 : "=r"(r0), "=r"(r1)
                 : "r"(addr));
}

/// The address in a view (this lane's `base`, row length `ld_bytes`) of the
/// tile at operand position (outer, k): outer is m for A and n for B; the
/// stored matrix is [outer][k], or [k][outer] when transposed.
template <bool kTransposed>
__device__ __forceinline__ unsigned tile_addr(unsigned base, int ld_bytes,
                                              int outer, int k) {
  return !kTransposed ? base + outer * ld_bytes + k * 2
                      : base + k * ld_bytes + outer * 2;
}

/// A 16 x 16 operand of m16n8k16 from shared memory.
template <typename T, bool kTransposed> struct TileA {
  unsigned base; // this lane's row address for the tile at (0, 0)
  int ld_bytes;

  __device__ __forceinline__ TileA(const T *s, int ld, int lane)
      : ld_bytes(ld * 2) {
    // ldmatrix.x4: lanes 8j..8j+7 give the rows of matrix j; A's fragment
    // wants matrices (rows 0-7, k 0-7), (8-15, 0-7), (0-7, 8-15), (8-15, 8-15).
    const int off = !kTransposed ? (lane & 15) * ld + (lane >> 4) * 8
                                 : ((lane & 7) + (lane >> 4) * 8) * ld +
                                       ((lane >> 3) & 1) * 8;
    base = smem_addr(s) + off * 2;
  }

  __device__ __forceinline__ void load(typename Frag16<T>::A &a, int m0,
                                       int k0) const {
    ldmatrix_x4<kTransposed>(tile_addr<kTransposed>(base, ld_bytes, m0, k0),
                             a.r[0], a.r[1], a.r[2], a.r[3]);
  }
};

/// This lane's element offset, in a B view, of the row it gives ldmatrix
/// (lanes 0-15; the pattern repeats for 16-31). Stored [n][k]: rows n0..,
/// cols k0 and k0+8. Stored [k][n]: rows k0..k0+15 at col n0.
template <bool kTransposed>
__device__ __forceinline__ int tile_b_offset(int lane, int ld) {
  const int l = lane & 15;
  return !kTransposed ? (l & 7) * ld + (l >> 3) * 8 : l * ld;
}

/// A 16 x 8 operand of m16n8k16 from shared memory.
template <typename T, bool kTransposed> struct TileB {
  unsigned base;
  int ld_bytes;

  __device__ __forceinline__ TileB(const T *s, int ld, int lane)
      : base(smem_addr(s) + tile_b_offset<kTransposed>(lane, ld) * 2),
        ld_bytes(ld * 2) {}

  __device__ __forceinline__ void load(typename Frag16<T>::B &b, int k0,
                                       int n0) const {
    ldmatrix_x2<kTransposed>(tile_addr<kTransposed>(base, ld_bytes, n0, k0),
                             b.r[0], b.r[1]);
  }
};

/// Two 16 x 8 operands of m16n8k16 at columns n0 and n0 + kDelta, in one
/// ldmatrix.x4: lanes 16-31 address the second operand's rows as lanes 0-15
/// do the first's.
template <typename T, bool kTransposed, int kDelta> struct TileB2 {
  unsigned base;
  int ld_bytes;

  __device__ __forceinline__ TileB2(const T *s, int ld, int lane)
      : base(smem_addr(s) + (tile_b_offset<kTransposed>(lane, ld) +
                             (lane >> 4) * kDelta * (kTransposed ? 1 : ld)) *
                                2),
        ld_bytes(ld * 2) {}

  __device__ __forceinline__ void load(typename Frag16<T>::B &a,
                                       typename Frag16<T>::B &b, int k0,
                                       int n0) const {
    ldmatrix_x4<kTransposed>(tile_addr<kTransposed>(base, ld_bytes, n0, k0),
                             a.r[0], a.r[1], b.r[0], b.r[1]);
  }
};

template <typename T> struct Mma;

template <> struct Mma<__nv_bfloat16> {
  using FragA = Frag16<__nv_bfloat16>::A;
  using FragB = Frag16<__nv_bfloat16>::B;
  template <bool kT> using TileA = device::TileA<__nv_bfloat16, kT>;
  template <bool kT> using TileB = device::TileB<__nv_bfloat16, kT>;
  template <bool kT, int kDelta>
  using TileB2 = device::TileB2<__nv_bfloat16, kT, kDelta>;
  static __device__ __forceinline__ void mma(float (&c)[4], const FragA &a,
                                             const FragB &b) {
    asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
        "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a.r[0]), "r"(a.r[1]), "r"(a.r[2]), "r"(a.r[3]), "r"(b.r[0]),
          "r"(b.r[1]));
  }
};

template <> struct Mma<__half> {
  using FragA = Frag16<__half>::A;
  using FragB = Frag16<__half>::B;
  template <bool kT> using TileA = device::TileA<__half, kT>;
  template <bool kT> using TileB = device::TileB<__half, kT>;
  template <bool kT, int kDelta>
  using TileB2 = device::TileB2<__half, kT, kDelta>;
  static __device__ __forceinline__ void mma(float (&c)[4], const FragA &a,
                                             const FragB &b) {
    asm("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
        "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a.r[0]), "r"(a.r[1]), "r"(a.r[2]), "r"(a.r[3]), "r"(b.r[0]),
          "r"(b.r[1]));
  }
};

/// f32 operands: scalar shared loads into the m16n8k8 TF32 fragments, for
/// two k-halves of 8 per k-step of 16.
struct FragF32 {
  struct A {
    float r[8];
  };
  struct B {
    float r[4];
  };
};

template <bool kTransposed> struct TileAF32 {
  const float *s;
  int ld, g, t;
  __device__ __forceinline__ TileAF32(const float *s, int ld, int lane)
      : s(s), ld(ld), g(lane >> 2), t(lane & 3) {}
  __device__ __forceinline__ float at(int row, int col) const {
    return kTransposed ? s[col * ld + row] : s[row * ld + col];
  }
  __device__ __forceinline__ void load(FragF32::A &a, int m0, int k0) const {
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int k = k0 + h * 8 + t;
      a.r[h * 4 + 0] = at(m0 + g, k);
      a.r[h * 4 + 1] = at(m0 + g + 8, k);
      a.r[h * 4 + 2] = at(m0 + g, k + 4);
      a.r[h * 4 + 3] = at(m0 + g + 8, k + 4);
    }
  }
};

template <bool kTransposed> struct TileBF32 {
  const float *s;
  int ld, g, t;
  __device__ __forceinline__ TileBF32(const float *s, int ld, int lane)
      : s(s), ld(ld), g(lane >> 2), t(lane & 3) {}
  /// B(k, n): stored [n][k] (kTransposed = false) or [k][n].
  __device__ __forceinline__ float at(int k, int n) const {
    return kTransposed ? s[k * ld + n] : s[n * ld + k];
  }
  __device__ __forceinline__ void load(FragF32::B &b, int k0, int n0) const {
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int k = k0 + h * 8 + t;
      b.r[h * 2 + 0] = at(k, n0 + g);
      b.r[h * 2 + 1] = at(k + 4, n0 + g);
    }
  }
};

/// TileB2's interface for f32: two scalar-load operands.
template <bool kTransposed, int kDelta> struct TileB2F32 {
  TileBF32<kTransposed> t;
  __device__ __forceinline__ TileB2F32(const float *s, int ld, int lane)
      : t(s, ld, lane) {}
  __device__ __forceinline__ void load(FragF32::B &a, FragF32::B &b, int k0,
                                       int n0) const {
    t.load(a, k0, n0);
    t.load(b, k0, n0 + kDelta);
  }
};

template <> struct Mma<float> {
  using FragA = FragF32::A;
  using FragB = FragF32::B;
  template <bool kT> using TileA = TileAF32<kT>;
  template <bool kT> using TileB = TileBF32<kT>;
  template <bool kT, int kDelta> using TileB2 = TileB2F32<kT, kDelta>;

  static __device__ __forceinline__ unsigned tf32(float x) {
    unsigned r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return r;
  }

  static __device__ __forceinline__ void
  mma_tf32(float (&c)[4], const unsigned (&a)[4], const unsigned (&b)[2]) {
    asm("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
        "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
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
