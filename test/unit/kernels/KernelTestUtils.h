//===- KernelTestUtils.h - host arrays, random data, errors -----*- C++ -*-===//
#ifndef MAMBA_TEST_KERNELTESTUTILS_H
#define MAMBA_TEST_KERNELTESTUTILS_H

#include "runtime/DType.h"
#include "runtime/Gpu.h"
#include "runtime/Jit.h"
#include "runtime/cpu/CpuKernels.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace mamba {
namespace test {

/// A host tensor whose values are exactly representable in `dtype` (random
/// values are rounded on creation), kept as f32 for the CPU reference.
struct HostArray {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<float> values;

  int64_t numel() const;
  /// Raw bytes in `dtype`, for upload.
  std::vector<uint8_t> bytes() const;
  /// Values from raw bytes of `dtype`.
  void setBytes(const std::vector<uint8_t> &raw);
  cpu::View view() { return cpu::View(values.data()); }
  /// Row-major element strides.
  std::vector<int64_t> strides() const;
  cpu::View stridedView();

  static HostArray random(DType t, std::vector<int64_t> shape,
                          std::mt19937_64 &rng, float lo, float hi);
  static HostArray zeros(DType t, std::vector<int64_t> shape);
};

/// ||got - ref|| / ||ref||; +inf when anything is NaN or the sizes differ.
double relativeL2(const std::vector<float> &got, const std::vector<float> &ref);

/// The tolerance of design.md for an activation type.
double toleranceFor(DType t);

/// The process-wide GPU and Jit, or null with the reason in `why`.
struct GpuFixture {
  std::shared_ptr<GpuContext> gpu;
  std::unique_ptr<Jit> jit;
  std::string why;
  static GpuFixture &get();
};

/// Uploads `a` to a fresh device buffer (fails the test on error).
DeviceBuffer upload(GpuContext &gpu, const HostArray &a);
/// Downloads into `a` (its dtype and size decide how many bytes).
void download(GpuContext &gpu, const DeviceBuffer &buf, HostArray &a);
/// A device buffer filled with NaN bytes (0xff), so unwritten outputs show.
DeviceBuffer poisoned(GpuContext &gpu, const HostArray &like);

} // namespace test
} // namespace mamba

#endif // MAMBA_TEST_KERNELTESTUTILS_H
