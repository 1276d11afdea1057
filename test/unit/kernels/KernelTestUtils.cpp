//===- KernelTestUtils.cpp - host arrays, random data, errors -------------===//

#include "KernelTestUtils.h"

#include "runtime/Compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace mamba;
using namespace mamba::test;

int64_t HostArray::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<int64_t> HostArray::strides() const {
  std::vector<int64_t> s(shape.size(), 1);
  for (int i = int(shape.size()) - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

cpu::View HostArray::stridedView() {
  cpu::View v(values.data());
  std::vector<int64_t> s = strides();
  for (size_t i = 0; i < s.size() && i < 4; ++i)
    v.stride[i] = s[i];
  return v;
}

std::vector<uint8_t> HostArray::bytes() const {
  std::vector<uint8_t> out(numel() * dtypeSize(dtype));
  for (int64_t i = 0; i < numel(); ++i)
    storeFromFloat(out.data(), dtype, i, values[i]);
  return out;
}

void HostArray::setBytes(const std::vector<uint8_t> &raw) {
  values.resize(numel());
  for (int64_t i = 0; i < numel(); ++i)
    values[i] = loadAsFloat(raw.data(), dtype, i);
}

HostArray HostArray::random(DType t, std::vector<int64_t> shape,
                            std::mt19937_64 &rng, float lo, float hi) {
  HostArray a{t, std::move(shape), {}};
  std::uniform_real_distribution<float> dist(lo, hi);
  a.values.resize(a.numel());
  for (float &v : a.values)
    v = roundTo(t, dist(rng));
  return a;
}

HostArray HostArray::zeros(DType t, std::vector<int64_t> shape) {
  HostArray a{t, std::move(shape), {}};
  a.values.assign(a.numel(), 0.0f);
  return a;
}

double mamba::test::relativeL2(const std::vector<float> &got,
                               const std::vector<float> &ref) {
  if (got.size() != ref.size())
    return INFINITY;
  return mamba::relativeL2(got.data(), ref.data(), got.size());
}

double mamba::test::toleranceFor(DType t) {
  return t == DType::F32 ? 1e-5 : 1e-2;
}

GpuFixture &GpuFixture::get() {
  static GpuFixture fixture = [] {
    GpuFixture f;
    Result<std::shared_ptr<GpuContext>> gpu = GpuContext::open();
    if (!gpu.ok()) {
      f.why = gpu.error();
      return f;
    }
    f.gpu = *gpu;
    JitOptions options;
    options.cacheDir = "off";
    Result<std::unique_ptr<Jit>> jit = Jit::create(f.gpu, options);
    if (!jit.ok()) {
      f.why = jit.error();
      f.gpu.reset();
      return f;
    }
    f.jit = jit.take();
    return f;
  }();
  return fixture;
}

DeviceBuffer mamba::test::upload(GpuContext &gpu, const HostArray &a) {
  std::vector<uint8_t> raw = a.bytes();
  Result<DeviceBuffer> buf = gpu.alloc(raw.size());
  EXPECT_TRUE(buf.ok()) << buf.error();
  if (!buf.ok())
    return DeviceBuffer();
  Status s = gpu.upload(buf->data(), raw.data(), raw.size());
  EXPECT_TRUE(s.ok()) << s.error();
  return buf.take();
}

void mamba::test::download(GpuContext &gpu, const DeviceBuffer &buf,
                           HostArray &a) {
  std::vector<uint8_t> raw(a.numel() * dtypeSize(a.dtype));
  Status s = gpu.download(raw.data(), buf.data(), raw.size());
  ASSERT_TRUE(s.ok()) << s.error();
  a.setBytes(raw);
}

DeviceBuffer mamba::test::poisoned(GpuContext &gpu, const HostArray &like) {
  std::vector<uint8_t> raw(like.numel() * dtypeSize(like.dtype), 0xff);
  Result<DeviceBuffer> buf = gpu.alloc(raw.size());
  EXPECT_TRUE(buf.ok()) << buf.error();
  if (!buf.ok())
    return DeviceBuffer();
  Status s = gpu.upload(buf->data(), raw.data(), raw.size());
  EXPECT_TRUE(s.ok()) << s.error();
  return buf.take();
}
