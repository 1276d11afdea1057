//===- DType.h - element types and host conversions -------------*- C++ -*-===//
//
// The element types the runtime moves around, and exact host conversions
// between f32 and the 16-bit float formats (round to nearest even, NaN kept
// quiet), shared by the loaders, the CPU backend and the GPU tests.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_DTYPE_H
#define MAMBA_RUNTIME_DTYPE_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace mamba {

enum class DType { F32, F16, BF16, I32, I64 };

inline size_t dtypeSize(DType t) {
  switch (t) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::I64:
    return 8;
  }
  return 0;
}

inline const char *dtypeName(DType t) {
  switch (t) {
  case DType::F32:
    return "f32";
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  }
  return "?";
}

/// Parses "f32"/"float32", "f16"/"float16"/"fp16"/"half", "bf16"/"bfloat16".
inline std::optional<DType> parseFloatDType(std::string_view s) {
  if (s == "f32" || s == "fp32" || s == "float32" || s == "float")
    return DType::F32;
  if (s == "f16" || s == "fp16" || s == "float16" || s == "half")
    return DType::F16;
  if (s == "bf16" || s == "bfloat16")
    return DType::BF16;
  return std::nullopt;
}

inline bool isFloat(DType t) {
  return t == DType::F32 || t == DType::F16 || t == DType::BF16;
}

inline uint32_t floatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

inline float bitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

inline float bf16ToFloat(uint16_t h) { return bitsFloat(uint32_t(h) << 16); }

inline uint16_t floatToBf16(float f) {
  uint32_t u = floatBits(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) // NaN: keep it a (quiet) NaN
    return uint16_t((u >> 16) | 0x40);
  u += 0x7fffu + ((u >> 16) & 1u); // round to nearest even
  return uint16_t(u >> 16);
}

inline float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  if (exp == 0) {
    if (mant == 0)
      return bitsFloat(sign);
    // Subnormal: value = mant * 2^-24.
    float f = float(mant) * (1.0f / 16777216.0f);
    return sign ? -f : f;
  }
  if (exp == 31)
    return bitsFloat(sign | 0x7f800000u | (mant << 13));
  return bitsFloat(sign | ((exp + 112u) << 23) | (mant << 13));
}

inline uint16_t floatToHalf(float f) {
  uint32_t u = floatBits(f);
  uint32_t sign = (u >> 16) & 0x8000u;
  uint32_t absu = u & 0x7fffffffu;
  if (absu > 0x7f800000u) // NaN
    return uint16_t(sign | 0x7e00u);
  if (absu >= 0x477ff000u) // rounds to >= 65520: overflow to inf
    return uint16_t(sign | 0x7c00u);
  if (absu < 0x38800000u) { // below the smallest normal half (2^-14)
    // Subnormal or zero: round |f| * 2^24 to the nearest even integer.
    float a = bitsFloat(absu) * 16777216.0f;
    uint32_t m = uint32_t(a);
    float rem = a - float(m);
    if (rem > 0.5f || (rem == 0.5f && (m & 1u)))
      ++m;
    return uint16_t(sign | m);
  }
  // Normal: rebias the exponent and round the 13 dropped bits to even.
  uint32_t v = absu - 0x38000000u;
  v += 0xfffu + ((v >> 13) & 1u);
  return uint16_t(sign | (v >> 13));
}

/// Reads element `i` of a buffer of float type `t` as f32.
inline float loadAsFloat(const void *data, DType t, size_t i) {
  switch (t) {
  case DType::F32:
    return static_cast<const float *>(data)[i];
  case DType::F16:
    return halfToFloat(static_cast<const uint16_t *>(data)[i]);
  case DType::BF16:
    return bf16ToFloat(static_cast<const uint16_t *>(data)[i]);
  case DType::I32:
    return float(static_cast<const int32_t *>(data)[i]);
  case DType::I64:
    return float(static_cast<const int64_t *>(data)[i]);
  }
  return 0.0f;
}

/// Writes f32 `v` as element `i` of a buffer of float type `t`, rounding.
inline void storeFromFloat(void *data, DType t, size_t i, float v) {
  switch (t) {
  case DType::F32:
    static_cast<float *>(data)[i] = v;
    return;
  case DType::F16:
    static_cast<uint16_t *>(data)[i] = floatToHalf(v);
    return;
  case DType::BF16:
    static_cast<uint16_t *>(data)[i] = floatToBf16(v);
    return;
  case DType::I32:
    static_cast<int32_t *>(data)[i] = int32_t(v);
    return;
  case DType::I64:
    static_cast<int64_t *>(data)[i] = int64_t(v);
    return;
  }
}

/// Rounds f32 `v` through type `t` and back (identity for f32).
inline float roundTo(DType t, float v) {
  switch (t) {
  case DType::F16:
    return halfToFloat(floatToHalf(v));
  case DType::BF16:
    return bf16ToFloat(floatToBf16(v));
  default:
    return v;
  }
}

} // namespace mamba

#endif // MAMBA_RUNTIME_DTYPE_H
