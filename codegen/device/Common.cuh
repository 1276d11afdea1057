//===- Common.cuh - device helpers shared by every generated kernel -------===//
//
// Compiled by NVRTC only (embedded into the binary at build time). Element
// conversions, the scalar functions of the reference (softplus with threshold
// 20, SiLU), vector loads and warp-level reductions and scans.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "mamba/Params.h"

namespace mamba {
namespace device {

typedef unsigned long long uintptr;

template <typename T> __device__ __forceinline__ float to_float(T v);
template <> __device__ __forceinline__ float to_float<float>(float v) {
  return v;
}
template <> __device__ __forceinline__ float to_float<__half>(__half v) {
  return __half2float(v);
}
template <>
__device__ __forceinline__ float to_float<__nv_bfloat16>(__nv_bfloat16 v) {
  return __bfloat162float(v);
}

template <typename T> __device__ __forceinline__ T from_float(float v);
template <> __device__ __forceinline__ float from_float<float>(float v) {
  return v;
}
template <> __device__ __forceinline__ __half from_float<__half>(float v) {
  return __float2half_rn(v);
}
template <>
__device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float v) {
  return __float2bfloat16_rn(v);
}

/// log(1 + e^x), or x above 20: the threshold PyTorch, mamba_ssm's CUDA and
/// Triton kernels all use.
__device__ __forceinline__ float softplus(float x) {
  // log(1 + e) on the special-function unit; below e = 1e-4 the series
  // log(1 + e) = e - e^2/2 + ... is e to f32 precision.
  const float e = __expf(x);
  return x > 20.0f ? x : (e < 1e-4f ? e : __logf(1.0f + e));
}

/// 2^x on the special-function unit. Callers prescale by log2(e) once, so
/// exp(dt * A) costs one MUFU.EX2 and one multiply.
__device__ __forceinline__ float exp2_approx(float x) {
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
  return y;
}

constexpr float kLog2e = 1.4426950408889634f;

/// x * sigmoid(x), with one ex2 (flushing denormals: 1 + e is 1 for them
/// anyway) and one fast reciprocal.
__device__ __forceinline__ float silu(float x) {
  return __fdividef(x, 1.0f + exp2_approx(x * -kLog2e));
}

/// Two adjacent elements of T as one 32-bit (16-bit T) or 64-bit (f32)
/// access.
template <typename T> struct Pair;
template <> struct Pair<float> {
  using type = float2;
  static __device__ __forceinline__ type make(float a, float b) {
    return make_float2(a, b);
  }
  static __device__ __forceinline__ float2 split(type v) { return v; }
};
template <> struct Pair<__half> {
  using type = __half2;
  static __device__ __forceinline__ type make(float a, float b) {
    return __floats2half2_rn(a, b);
  }
  static __device__ __forceinline__ float2 split(type v) {
    return __half22float2(v);
  }
};
template <> struct Pair<__nv_bfloat16> {
  using type = __nv_bfloat162;
  static __device__ __forceinline__ type make(float a, float b) {
    return __floats2bfloat162_rn(a, b);
  }
  static __device__ __forceinline__ float2 split(type v) {
    return __bfloat1622float2(v);
  }
};

/// Stores (a, b) at ptr[0], ptr[1] in one access (ptr must be aligned to
/// two elements).
template <typename T>
__device__ __forceinline__ void store_pair(T *ptr, float a, float b) {
  *reinterpret_cast<typename Pair<T>::type *>(ptr) = Pair<T>::make(a, b);
}

/// Loads ptr[0], ptr[1] as f32 in one access.
template <typename T>
__device__ __forceinline__ float2 load_pair(const T *ptr) {
  return Pair<T>::split(*reinterpret_cast<const typename Pair<T>::type *>(ptr));
}

/// A compile-time int as a type, to pick a template instance at run time.
template <int V> struct IntConst { static constexpr int value = V; };

/// T when B, else F (std::conditional; NVRTC has no <type_traits>).
template <bool B, typename T, typename F> struct Select { using type = T; };
template <typename T, typename F> struct Select<false, T, F> {
  using type = F;
};

__device__ __forceinline__ bool is_aligned16(const void *p) {
  return (reinterpret_cast<uintptr>(p) & 15) == 0;
}

/// Sequence s of a packed row of `total` positions (cu_seqlens, S+1
/// offsets): its first position and its length. Offsets are clamped into
/// [0, total] and made non-decreasing, so a malformed cu_seqlens cannot send
/// a block out of bounds. The math is 32-bit (cu_seqlens is i32), so the
/// compiler may keep both in one register each.
__device__ __forceinline__ void packed_range(const int *cu, index_t s,
                                             index_t total, index_t &begin,
                                             index_t &len) {
  const int t = int(total);
  int a = __ldg(cu + s), e = __ldg(cu + s + 1);
  a = a < 0 ? 0 : a > t ? t : a;
  e = e < a ? a : e > t ? t : e;
  begin = a;
  len = e - a;
}

/// Loads N consecutive elements starting at `ptr` (global or shared memory)
/// into f32 registers. The caller guarantees all N are in bounds; `vec` says
/// `ptr` is 16-byte aligned, in which case the loads are 16 bytes wide.
template <typename T, int N>
__device__ __forceinline__ void load_row(const T *ptr, float (&out)[N],
                                         bool vec) {
  constexpr int kVec = 16 / sizeof(T);
  if (vec && N % kVec == 0) {
#pragma unroll
    for (int i = 0; i < N / kVec; ++i) {
      uint4 raw = reinterpret_cast<const uint4 *>(ptr)[i];
      const T *elems = reinterpret_cast<const T *>(&raw);
#pragma unroll
      for (int j = 0; j < kVec; ++j)
        out[i * kVec + j] = to_float(elems[j]);
    }
  } else {
#pragma unroll
    for (int i = 0; i < N; ++i)
      out[i] = to_float(ptr[i]);
  }
}

/// Loads kPieces runs of kSeg consecutive elements, run k at ptr + k * stride,
/// into out[k * kSeg ...]: one lane's share of a row that a group of lanes
/// reads interleaved, so each load instruction of the group covers
/// consecutive memory. A run of 8 or 16 bytes is one load when every run is
/// aligned to its size.
template <typename T, int kPieces, int kSeg>
__device__ __forceinline__ void load_pieces(const T *ptr, int stride,
                                            float (&out)[kPieces * kSeg]) {
  constexpr int kBytes = kSeg * int(sizeof(T));
  const bool v = (kBytes == 8 || kBytes == 16) &&
                 reinterpret_cast<uintptr>(ptr) % kBytes == 0 &&
                 (stride * int(sizeof(T))) % kBytes == 0;
#pragma unroll
  for (int k = 0; k < kPieces; ++k) {
    const T *src = ptr + k * stride;
    float piece[kSeg];
    if (kBytes == 8 && v) {
      const uint2 raw = *reinterpret_cast<const uint2 *>(src);
      const T *elems = reinterpret_cast<const T *>(&raw);
#pragma unroll
      for (int i = 0; i < kSeg; ++i)
        piece[i] = to_float(elems[i]);
    } else {
      load_row<T, kSeg>(src, piece, v);
    }
#pragma unroll
    for (int i = 0; i < kSeg; ++i)
      out[k * kSeg + i] = piece[i];
  }
}

/// Loads the first `valid` of N elements (the rest become `fill`).
template <typename T, int N>
__device__ __forceinline__ void load_row_guarded(const T *ptr, float (&out)[N],
                                                 int valid, float fill) {
#pragma unroll
  for (int i = 0; i < N; ++i)
    out[i] = i < valid ? to_float(ptr[i]) : fill;
}

/// Stores N f32 values as T, 16 bytes at a time when `vec`.
template <typename T, int N>
__device__ __forceinline__ void store_row(T *ptr, const float (&in)[N],
                                          bool vec) {
  constexpr int kVec = 16 / sizeof(T);
  if (vec && N % kVec == 0) {
#pragma unroll
    for (int i = 0; i < N / kVec; ++i) {
      uint4 raw;
      T *elems = reinterpret_cast<T *>(&raw);
#pragma unroll
      for (int j = 0; j < kVec; ++j)
        elems[j] = from_float<T>(in[i * kVec + j]);
      reinterpret_cast<uint4 *>(ptr)[i] = raw;
    }
  } else {
#pragma unroll
    for (int i = 0; i < N; ++i)
      ptr[i] = from_float<T>(in[i]);
  }
}

/// Stores what load_pieces loaded, to the same places (16-byte runs in one
/// store each when aligned).
template <typename T, int kPieces, int kSeg>
__device__ __forceinline__ void
store_pieces(T *ptr, int stride, const float (&in)[kPieces * kSeg]) {
  constexpr int kBytes = kSeg * int(sizeof(T));
  const bool v =
      kBytes == 16 && is_aligned16(ptr) && (stride * int(sizeof(T))) % 16 == 0;
#pragma unroll
  for (int k = 0; k < kPieces; ++k) {
    float piece[kSeg];
#pragma unroll
    for (int i = 0; i < kSeg; ++i)
      piece[i] = in[k * kSeg + i];
    store_row<T, kSeg>(ptr + k * stride, piece, v);
  }
}

template <typename T, int N>
__device__ __forceinline__ void store_row_guarded(T *ptr, const float (&in)[N],
                                                  int valid) {
#pragma unroll
  for (int i = 0; i < N; ++i)
    if (i < valid)
      ptr[i] = from_float<T>(in[i]);
}

/// Asynchronous 16-byte copy from global to shared memory (sm_80+); when
/// `valid` is false the destination is zero-filled and nothing is read.
__device__ __forceinline__ void cp_async16(void *smem, const void *gmem,
                                           bool valid) {
  const unsigned dst = static_cast<unsigned>(__cvta_generic_to_shared(smem));
  const int bytes = valid ? 16 : 0;
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst),
               "l"(gmem), "r"(bytes)
               : "memory");
}

__device__ __forceinline__ void cp_async_commit() {
  asm volatile("cp.async.commit_group;\n" ::: "memory");
}

/// Waits until at most `kPending` committed groups are still in flight.
template <int kPending> __device__ __forceinline__ void cp_async_wait() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(kPending) : "memory");
}

/// Asynchronously copies rows [t0, t0 + kRowsTotal) of a (rows, kCols)
/// slice of `src` (row stride `stride` elements, 16-byte aligned rows) into a
/// shared tile with row length `ld`; rows at or past `len` are zero-filled.
/// When the block's threads tile a row evenly, each thread keeps one fixed
/// 16-byte column and walks its pointers, so the loop has no index math.
/// `tid` is the calling thread's index in the block (thread_index()).
template <int kCols, int kRowsTotal, int kThreads, typename T>
__device__ __forceinline__ void copy_rows_async(T *dst, int ld, const T *src,
                                                index_t stride, index_t t0,
                                                int len, int tid) {
  constexpr int kVec = 16 / sizeof(T);
  constexpr int kColVecs = kCols / kVec;
  if constexpr (kColVecs <= kThreads && kThreads % kColVecs == 0) {
    constexpr int kStep = kThreads / kColVecs; // rows per pass
    constexpr int kPasses = (kRowsTotal + kStep - 1) / kStep;
    const int r0 = tid / kColVecs;
    const int c = (tid % kColVecs) * kVec;
    const T *g = src + (t0 + r0) * stride + c;
    T *d = dst + r0 * ld + c;
    // A compile-time number of passes, fully unrolled; rows past kRowsTotal
    // exist only when kStep does not divide it.
#pragma unroll
    for (int k = 0; k < kPasses; ++k) {
      const int i = r0 + k * kStep;
      if (kRowsTotal % kStep != 0 && i >= kRowsTotal)
        break;
      const bool in = i < len;
      cp_async16(d, in ? g : src, in);
      g += kStep * stride;
      d += kStep * ld;
    }
  } else {
    for (int idx = tid; idx < kRowsTotal * kColVecs; idx += kThreads) {
      const int i = idx / kColVecs, c = (idx % kColVecs) * kVec;
      const bool in = i < len;
      cp_async16(dst + i * ld + c, src + (in ? (t0 + i) * stride + c : 0), in);
    }
  }
}

/// threadIdx.x, read once: the compiler cannot re-read a volatile asm's
/// result, so under register pressure it keeps the value instead of
/// re-issuing S2R (tens of cycles) wherever threadIdx.x is used.
__device__ __forceinline__ int thread_index() {
  int t;
  asm volatile("mov.u32 %0, %%tid.x;" : "=r"(t));
  return t;
}

/// Waits until kThreads threads (whole warps) of the block have arrived at
/// barrier `id` (1..15; __syncthreads uses 0). One warp needs only
/// __syncwarp.
template <int kThreads> __device__ __forceinline__ void named_barrier(int id) {
  static_assert(kThreads % 32 == 0, "whole warps");
  if constexpr (kThreads == 32)
    __syncwarp();
  else
    asm volatile("bar.sync %0, %1;" ::"r"(id), "n"(kThreads) : "memory");
}

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1)
    v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

/// Sum over groups of `kWidth` consecutive lanes (kWidth a power of two).
template <int kWidth> __device__ __forceinline__ float group_sum(float v) {
#pragma unroll
  for (int offset = kWidth / 2; offset > 0; offset >>= 1)
    v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

/// Inclusive warp scan of the linear recurrence x -> a * x + b: composing
/// (a0, b0) then (a1, b1) gives (a0 * a1, a1 * b0 + b1). On return lane l
/// holds the composition of lanes 0..l.
__device__ __forceinline__ void warp_scan_linear(float &a, float &b) {
  const int lane = threadIdx.x & 31;
#pragma unroll
  for (int offset = 1; offset < 32; offset <<= 1) {
    float a_prev = __shfl_up_sync(0xffffffffu, a, offset);
    float b_prev = __shfl_up_sync(0xffffffffu, b, offset);
    if (lane >= offset) {
      b = a * b_prev + b;
      a = a * a_prev;
    }
  }
}

} // namespace device
} // namespace mamba
