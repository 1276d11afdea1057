//===- Tensor.cpp - checkpoint tensor views and owned tensors -------------===//

#include "runtime/model/Tensor.h"

#include <cstring>

namespace mamba {

int64_t TensorView::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool TensorView::isContiguous() const {
  return strides == contiguousStrides(shape);
}

int64_t Tensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + ")";
}

std::vector<int64_t> contiguousStrides(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size());
  int64_t s = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

Result<int64_t> checkedNumel(const std::vector<int64_t> &shape,
                             const std::string &what) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return Error(what + ": negative dimension in shape " +
                   formatShape(shape));
    if (__builtin_mul_overflow(n, d, &n))
      return Error(what + ": shape " + formatShape(shape) +
                   " has too many elements");
  }
  return n;
}

namespace {
// Reads one element through memcpy: checkpoint data need not be aligned.
float loadUnaligned(const uint8_t *p, DType t) {
  if (t == DType::F32) {
    float f;
    std::memcpy(&f, p, 4);
    return f;
  }
  uint16_t h;
  std::memcpy(&h, p, 2);
  return t == DType::F16 ? halfToFloat(h) : bf16ToFloat(h);
}
/// Converts `n` contiguous elements of type From (at any alignment) to
/// type To, with the type switch outside the loop.
template <DType From, DType To>
void convertRun(const uint8_t *src, uint8_t *dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    storeFromFloat(dst, To, size_t(i),
                   loadUnaligned(src + size_t(i) * dtypeSize(From), From));
}

template <DType From>
void convertRunTo(const uint8_t *src, uint8_t *dst, DType to, int64_t n) {
  switch (to) {
  case DType::F32:
    return convertRun<From, DType::F32>(src, dst, n);
  case DType::F16:
    return convertRun<From, DType::F16>(src, dst, n);
  default:
    return convertRun<From, DType::BF16>(src, dst, n);
  }
}

void convertContiguous(const uint8_t *src, DType from, uint8_t *dst, DType to,
                       int64_t n) {
  switch (from) {
  case DType::F32:
    return convertRunTo<DType::F32>(src, dst, to, n);
  case DType::F16:
    return convertRunTo<DType::F16>(src, dst, to, n);
  default:
    return convertRunTo<DType::BF16>(src, dst, to, n);
  }
}
} // namespace

Result<Tensor> materialize(const TensorView &view, DType dtype) {
  if (!isFloat(view.dtype) || !isFloat(dtype))
    return Error(view.file + ": only f32/f16/bf16 tensors can be converted");
  Tensor out;
  out.dtype = dtype;
  out.shape = view.shape;
  int64_t n = view.numel();
  out.bytes.resize(size_t(n) * dtypeSize(dtype));
  if (n == 0)
    return out;
  size_t inElt = dtypeSize(view.dtype);
  if (view.isContiguous()) {
    if (view.dtype == dtype)
      std::memcpy(out.bytes.data(), view.data, out.bytes.size());
    else
      convertContiguous(view.data, view.dtype, out.bytes.data(), dtype, n);
    return out;
  }
  // Walk the view in row-major order with an odometer over its dimensions.
  size_t rank = view.shape.size();
  std::vector<int64_t> index(rank, 0);
  int64_t offset = 0;
  for (int64_t i = 0; i < n; ++i) {
    float v = loadUnaligned(view.data + size_t(offset) * inElt, view.dtype);
    storeFromFloat(out.bytes.data(), dtype, size_t(i), v);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < view.shape[d]) {
        offset += view.strides[d];
        break;
      }
      offset -= view.strides[d] * (view.shape[d] - 1);
      index[d] = 0;
    }
  }
  return out;
}

} // namespace mamba
