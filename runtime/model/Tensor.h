//===- Tensor.h - checkpoint tensor views and owned tensors -----*- C++ -*-===//
//
// The readers (safetensors, torch .bin) produce TensorViews: the element type,
// shape and strides of a tensor, pointing into a mapped file. A view can be
// strided (a torch view, or two names sharing one storage); materialize()
// turns it into a contiguous Tensor of the element type the model wants.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_MODEL_TENSOR_H
#define MAMBA_RUNTIME_MODEL_TENSOR_H

#include "runtime/DType.h"
#include "runtime/Result.h"
#include "runtime/model/MappedFile.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mamba {

/// A read-only tensor inside a mapped checkpoint file. The readers have
/// checked that every element the shape and strides reach lies in the file.
struct TensorView {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  /// In elements; row-major contiguous for safetensors.
  std::vector<int64_t> strides;
  /// Element [0, ..., 0]. Not necessarily aligned to the element size.
  const uint8_t *data = nullptr;
  /// The file it comes from, for messages.
  std::string file;

  int64_t numel() const;
  bool isContiguous() const;
};

/// The tensors of one checkpoint, by their names in the file, together with
/// the mappings that keep them valid.
struct TensorSet {
  std::map<std::string, TensorView> tensors;
  std::vector<std::shared_ptr<const MappedFile>> files;
};

/// An owned, contiguous, row-major tensor.
struct Tensor {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  int64_t numel() const;
  const void *data() const { return bytes.data(); }
  void *data() { return bytes.data(); }
  /// Element `i` (row-major) as f32.
  float at(int64_t i) const { return loadAsFloat(bytes.data(), dtype, i); }
};

/// "(50280, 768)"; "()" for a scalar.
std::string formatShape(const std::vector<int64_t> &shape);

/// The row-major strides of `shape`, in elements.
std::vector<int64_t> contiguousStrides(const std::vector<int64_t> &shape);

/// Copies `view` into a contiguous tensor of float type `dtype`, rounding to
/// nearest even when narrowing (as torch's `.to()` does).
Result<Tensor> materialize(const TensorView &view, DType dtype);

/// The product of `shape`, or an error when it overflows int64 or a dimension
/// is negative. `what` names the tensor in the message.
Result<int64_t> checkedNumel(const std::vector<int64_t> &shape,
                             const std::string &what);

} // namespace mamba

#endif // MAMBA_RUNTIME_MODEL_TENSOR_H
