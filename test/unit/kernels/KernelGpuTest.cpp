//===- KernelGpuTest.cpp - every kernel against the CPU reference ---------===//
//
// Fresh random inputs for every case, outputs poisoned with NaN before each
// launch, relative L2 error against runtime/cpu within design.md's tolerances
// (f32 1e-5, f16/bf16 1e-2). Skipped with a message when no GPU is present.
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtils.h"

#include "codegen/device/Params.h"
#include "frontend/OpSpecs.h"

#include <gtest/gtest.h>

using namespace mamba;
using namespace mamba::test;

namespace {

#define REQUIRE_GPU()                                                          \
  GpuFixture &fx = GpuFixture::get();                                          \
  if (!fx.gpu)                                                                 \
  GTEST_SKIP() << "no GPU: " << fx.why

const DType kDTypes[] = {DType::F32, DType::F16, DType::BF16};

struct ScanCase {
  DType dtype;
  int64_t batch, seqlen, dstate, groups;
};

std::string caseName(const ScanCase &c) {
  return std::string(dtypeName(c.dtype)) + "_b" + std::to_string(c.batch) +
         "_L" + std::to_string(c.seqlen) + "_N" + std::to_string(c.dstate) +
         "_G" + std::to_string(c.groups);
}

void runSelectiveScan(const ScanCase &c, bool withStates) {
  GpuFixture &fx = GpuFixture::get();
  std::mt19937_64 rng(c.seqlen * 7919 + c.dstate * 31 + c.batch);
  const int64_t D = 128, N = c.dstate, L = c.seqlen, Bt = c.batch;
  SelectiveScanSpec spec;
  spec.dtype = c.dtype;
  spec.channels = D;
  spec.dstate = N;
  spec.groups = c.groups;
  spec.initialState = withStates;
  spec.lastState = withStates;
  Result<std::vector<CompiledKernel>> k = fx.jit->compileModule(toMlir(spec));
  ASSERT_TRUE(k.ok()) << k.error();

  HostArray u = HostArray::random(c.dtype, {Bt, D, L}, rng, -1, 1);
  HostArray delta = HostArray::random(c.dtype, {Bt, D, L}, rng, -3, 0.5);
  HostArray A = HostArray::random(DType::F32, {D, N}, rng, -2, -0.1f);
  HostArray B = HostArray::random(c.dtype, {Bt, c.groups, N, L}, rng, -1, 1);
  HostArray C = HostArray::random(c.dtype, {Bt, c.groups, N, L}, rng, -1, 1);
  HostArray Dv = HostArray::random(DType::F32, {D}, rng, -1, 1);
  HostArray z = HostArray::random(c.dtype, {Bt, D, L}, rng, -2, 2);
  HostArray bias = HostArray::random(DType::F32, {D}, rng, -1, 0.5);
  HostArray init = HostArray::random(DType::F32, {Bt, D, N}, rng, -1, 1);
  HostArray out = HostArray::zeros(c.dtype, {Bt, D, L});
  HostArray last = HostArray::zeros(DType::F32, {Bt, D, N});

  HostArray ref = HostArray::zeros(DType::F32, {Bt, D, L});
  HostArray refLast = HostArray::zeros(DType::F32, {Bt, D, N});
  cpu::SelectiveScanArgs a;
  a.batch = Bt;
  a.channels = D;
  a.seqlen = L;
  a.dstate = N;
  a.groupsB = a.groupsC = c.groups;
  a.deltaSoftplus = true;
  a.u = u.stridedView();
  a.delta = delta.stridedView();
  a.A = A.stridedView();
  a.B = B.stridedView();
  a.C = C.stridedView();
  a.D = Dv.stridedView();
  a.z = z.stridedView();
  a.deltaBias = bias.stridedView();
  if (withStates) {
    a.initialState = init.stridedView();
    a.lastState = refLast.stridedView();
  }
  a.out = ref.stridedView();
  cpu::selectiveScan(a);

  GpuContext &gpu = *fx.gpu;
  DeviceBuffer du = upload(gpu, u), ddelta = upload(gpu, delta),
               dA = upload(gpu, A), dB = upload(gpu, B), dC = upload(gpu, C),
               dD = upload(gpu, Dv), dz = upload(gpu, z),
               dbias = upload(gpu, bias), dinit = upload(gpu, init);
  DeviceBuffer dout = poisoned(gpu, out), dlast = poisoned(gpu, last);
  SelectiveScanParams p{};
  p.u = du.data();
  p.delta = ddelta.data();
  p.z = dz.data();
  p.out = dout.data();
  p.A = dA.as<float>();
  p.B = dB.data();
  p.C = dC.data();
  p.D = dD.as<float>();
  p.delta_bias = dbias.as<float>();
  p.initial_state = withStates ? dinit.as<float>() : nullptr;
  p.last_state = withStates ? dlast.as<float>() : nullptr;
  p.batch = Bt;
  p.seqlen = L;
  p.u_batch_stride = p.delta_batch_stride = p.z_batch_stride =
      p.out_batch_stride = D * L;
  p.u_d_stride = p.delta_d_stride = p.z_d_stride = p.out_d_stride = L;
  p.B_batch_stride = p.C_batch_stride = c.groups * N * L;
  p.B_group_stride = p.C_group_stride = N * L;
  p.B_n_stride = p.C_n_stride = L;
  LaunchSizes sizes;
  sizes.batch = Bt;
  sizes.seqlen = L;
  Status s = (*k)[0].launch(&p, sizeof(p), sizes);
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_TRUE(gpu.synchronize().ok());
  download(gpu, dout, out);
  double err = relativeL2(out.values, ref.values);
  EXPECT_LT(err, toleranceFor(c.dtype)) << caseName(c);
  if (withStates) {
    download(gpu, dlast, last);
    double errState = relativeL2(last.values, refLast.values);
    EXPECT_LT(errState, c.dtype == DType::F32 ? 1e-5 : 1e-2) << caseName(c);
  }
  std::printf("[ result   ] selective_scan %-24s rel_l2 %.3e\n",
              caseName(c).c_str(), err);
}

TEST(SelectiveScanGpu, Sweep) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (int64_t b : {1, 3})
      for (int64_t L : {1, 7, 256, 1000, 4096})
        for (int64_t n : {16, 64, 128})
          for (int64_t g : {1, 2})
            runSelectiveScan({t, b, L, n, g}, false);
}

TEST(SelectiveScanGpu, InitialAndLastState) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (int64_t L : {1, 300, 2049})
      runSelectiveScan({t, 2, L, 16, 1}, true);
}

} // namespace
