//===- Npy.h - read and write NumPy .npy files ------------------*- C++ -*-===//
#ifndef MAMBA_RUNTIME_MODEL_NPY_H
#define MAMBA_RUNTIME_MODEL_NPY_H

#include "runtime/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mamba {

/// An integer array read from .npy (int32 or int64, C order).
struct NpyInts {
  std::vector<int64_t> shape;
  std::vector<int64_t> values;
};

/// Reads `path`; accepts little-endian int32 and int64 arrays in C order and
/// says exactly what is wrong with anything else.
Result<NpyInts> readNpyInts(const std::string &path);

/// A float32 array read from .npy (C order).
struct NpyFloats {
  std::vector<int64_t> shape;
  std::vector<float> values;
};
Result<NpyFloats> readNpyFloats(const std::string &path);

/// Writes a little-endian float32 array in C order (format version 1.0).
Status writeNpyFloats(const std::string &path, const std::vector<int64_t> &shape,
                      const float *data);

} // namespace mamba

#endif // MAMBA_RUNTIME_MODEL_NPY_H
