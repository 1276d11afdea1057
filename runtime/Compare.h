//===- Compare.h - how far a result is from its reference -------*- C++ -*-===//
//
// The error measure of every numerical check (the tests, and mamba-tune's
// check of a candidate tile against the CPU backend).
//
//===----------------------------------------------------------------------===//

#ifndef MAMBA_RUNTIME_COMPARE_H
#define MAMBA_RUNTIME_COMPARE_H

#include <cmath>
#include <cstddef>

namespace mamba {

/// ||got - ref|| / ||ref|| in double. Infinite when either holds a NaN, or
/// when ref is all zeros and got is not (0 when both are).
inline double relativeL2(const float *got, const float *ref, size_t n) {
  double num = 0, den = 0;
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(got[i]) || std::isnan(ref[i]))
      return INFINITY;
    double d = double(got[i]) - double(ref[i]);
    num += d * d;
    den += double(ref[i]) * double(ref[i]);
  }
  if (den == 0)
    return num == 0 ? 0 : INFINITY;
  return std::sqrt(num / den);
}

} // namespace mamba

#endif // MAMBA_RUNTIME_COMPARE_H
