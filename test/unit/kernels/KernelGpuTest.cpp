//===- KernelGpuTest.cpp - every kernel against the CPU reference ---------===//
//
// Fresh random inputs for every case, outputs poisoned with NaN before each
// launch, relative L2 error against runtime/cpu within design.md's tolerances
// (f32 1e-5, f16/bf16 1e-2). Skipped with a message when no GPU is present.
//
//===----------------------------------------------------------------------===//

#include "FuseDecodeCases.h"
#include "KernelTestUtils.h"

#include "codegen/device/Params.h"
#include "frontend/OpSpecs.h"
#include "runtime/cuda/CudaBackend.h"
#include "runtime/cuda/JitImpl.h"
#include "runtime/exec/CpuBackend.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cstring>
#include <tuple>

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
  std::string tile = ""; // empty: the heuristic's
};

std::string caseName(const ScanCase &c) {
  return std::string(dtypeName(c.dtype)) + "_b" + std::to_string(c.batch) +
         "_L" + std::to_string(c.seqlen) + "_N" + std::to_string(c.dstate) +
         "_G" + std::to_string(c.groups) + tileLabel(c.tile);
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
  spec.tile = c.tile;
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
  std::printf("[ result   ] selective_scan %-40s rel_l2 %.3e\n",
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

/// The state-parallel variant (tile {warps, steps}): d_state below, at and
/// above the 32 lanes of a warp, lengths inside one staged chunk, at its
/// edge and across many.
TEST(SelectiveScanGpu, ByStateSweep) {
  REQUIRE_GPU();
  for (const char *tile : {"warps = 4, steps = 64", "warps = 2, steps = 32"})
    for (DType t : kDTypes)
      for (int64_t L : {1, 7, 64, 100, 1000})
        for (int64_t n : {8, 16, 64, 128})
          for (int64_t g : {1, 2})
            runSelectiveScan({t, 3, L, n, g, tile}, false);
  for (DType t : kDTypes)
    for (int64_t L : {1, 300})
      runSelectiveScan({t, 2, L, 16, 2, "warps = 4, steps = 64"}, true);
}

//===----------------------------------------------------------------------===//
// ssd
//===----------------------------------------------------------------------===//

struct SsdCase {
  DType dtype;
  int64_t batch, seqlen, dstate, groups;
  int64_t headdim = 64;
  bool dPerChannel = false, states = false, seqIdx = false, dtLimit = false;
  std::string tile = ""; // empty: the heuristic's
};

std::string caseName(const SsdCase &c) {
  return std::string(dtypeName(c.dtype)) + "_b" + std::to_string(c.batch) +
         "_L" + std::to_string(c.seqlen) + "_N" + std::to_string(c.dstate) +
         "_G" + std::to_string(c.groups) + "_P" + std::to_string(c.headdim) +
         (c.states ? "_states" : "") + (c.seqIdx ? "_seq" : "") +
         (c.dPerChannel ? "_Dp" : "") + (c.dtLimit ? "_lim" : "") +
         tileLabel(c.tile);
}

void runSsd(const SsdCase &c) {
  GpuFixture &fx = GpuFixture::get();
  std::mt19937_64 rng(c.seqlen * 131 + c.dstate * 7 + c.batch + c.groups);
  const int64_t Bt = c.batch, L = c.seqlen, H = 4, P = c.headdim, G = c.groups,
                N = c.dstate;
  SsdSpec spec;
  spec.dtype = c.dtype;
  spec.heads = H;
  spec.headdim = P;
  spec.groups = G;
  spec.dstate = N;
  spec.dPerChannel = c.dPerChannel;
  spec.initialStates = spec.finalStates = c.states;
  spec.seqIdx = c.seqIdx;
  spec.tile = c.tile;
  if (c.dtLimit) {
    spec.dtMin = 0.01;
    spec.dtMax = 0.2;
  }
  Result<std::vector<CompiledKernel>> k = fx.jit->compileModule(toMlir(spec));
  ASSERT_TRUE(k.ok()) << k.error();

  HostArray x = HostArray::random(c.dtype, {Bt, L, H, P}, rng, -1, 1);
  HostArray dt = HostArray::random(c.dtype, {Bt, L, H}, rng, -4, 0);
  HostArray A = HostArray::random(DType::F32, {H}, rng, -3, -0.5f);
  HostArray B = HostArray::random(c.dtype, {Bt, L, G, N}, rng, -1, 1);
  HostArray C = HostArray::random(c.dtype, {Bt, L, G, N}, rng, -1, 1);
  HostArray Dv = HostArray::random(DType::F32,
                                   c.dPerChannel ? std::vector<int64_t>{H, P}
                                                 : std::vector<int64_t>{H},
                                   rng, -1, 1);
  HostArray z = HostArray::random(c.dtype, {Bt, L, H, P}, rng, -2, 2);
  HostArray bias = HostArray::random(DType::F32, {H}, rng, -1, 1);
  HostArray init = HostArray::random(DType::F32, {Bt, H, P, N}, rng, -1, 1);
  HostArray seq = HostArray::zeros(DType::I32, {Bt, L});
  // Packed sequences: labels 0, 1, 2... changing at a few positions
  // (including mid-chunk), non-decreasing along L.
  for (int64_t b = 0; b < Bt; ++b)
    for (int64_t t = 0; t < L; ++t)
      seq.values[b * L + t] =
          float((t * 3) / std::max<int64_t>(L, 1) + (t >= 5 && b % 2 ? 1 : 0));
  HostArray out = HostArray::zeros(c.dtype, {Bt, L, H, P});
  HostArray fin = HostArray::zeros(DType::F32, {Bt, H, P, N});
  HostArray ref = HostArray::zeros(DType::F32, {Bt, L, H, P});
  HostArray refFin = HostArray::zeros(DType::F32, {Bt, H, P, N});
  std::vector<int32_t> seqInts(seq.values.begin(), seq.values.end());

  cpu::SsdArgs a;
  a.batch = Bt;
  a.seqlen = L;
  a.heads = H;
  a.headdim = P;
  a.groups = G;
  a.dstate = N;
  a.dtSoftplus = true;
  if (c.dtLimit) {
    a.dtMin = 0.01f;
    a.dtMax = 0.2f;
  }
  a.x = x.stridedView();
  a.dt = dt.stridedView();
  a.A = A.stridedView();
  a.B = B.stridedView();
  a.C = C.stridedView();
  a.D =
      cpu::View(Dv.values.data(), c.dPerChannel ? P : 1, c.dPerChannel ? 1 : 0);
  a.z = z.stridedView();
  a.dtBias = bias.stridedView();
  if (c.states) {
    a.initialStates = init.stridedView();
    a.finalStates = refFin.stridedView();
  }
  if (c.seqIdx) {
    a.seqIdx.data = seqInts.data();
    a.seqIdx.stride[0] = L;
    a.seqIdx.stride[1] = 1;
  }
  a.out = ref.stridedView();
  cpu::ssd(a);

  GpuContext &gpu = *fx.gpu;
  DeviceBuffer dx = upload(gpu, x), ddt = upload(gpu, dt), dA = upload(gpu, A),
               dB = upload(gpu, B), dC = upload(gpu, C), dD = upload(gpu, Dv),
               dz = upload(gpu, z), dbias = upload(gpu, bias),
               dinit = upload(gpu, init), dseq = upload(gpu, seq);
  DeviceBuffer dout = poisoned(gpu, out), dfin = poisoned(gpu, fin);
  SsdParams p{};
  p.x = dx.data();
  p.dt = ddt.data();
  p.A = dA.as<float>();
  p.B = dB.data();
  p.C = dC.data();
  p.D = dD.data();
  p.z = dz.data();
  p.dt_bias = dbias.data();
  p.initial_states = c.states ? dinit.as<float>() : nullptr;
  p.final_states = c.states ? dfin.as<float>() : nullptr;
  p.seq_idx = c.seqIdx ? dseq.as<int>() : nullptr;
  p.out = dout.data();
  p.batch = Bt;
  p.seqlen = L;
  p.x_batch_stride = p.z_batch_stride = p.out_batch_stride = L * H * P;
  p.x_l_stride = p.z_l_stride = p.out_l_stride = H * P;
  p.x_head_stride = p.z_head_stride = p.out_head_stride = P;
  p.dt_batch_stride = L * H;
  p.dt_l_stride = H;
  p.dt_head_stride = 1;
  p.B_batch_stride = p.C_batch_stride = L * G * N;
  p.B_l_stride = p.C_l_stride = G * N;
  p.B_group_stride = p.C_group_stride = N;
  p.seq_idx_batch_stride = L;
  p.dt_min = 0.01f;
  p.dt_max = 0.2f;
  LaunchSizes sizes;
  sizes.batch = Bt;
  sizes.seqlen = L;
  Status s = (*k)[0].launch(&p, sizeof(p), sizes);
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_TRUE(gpu.synchronize().ok());
  download(gpu, dout, out);
  double err = relativeL2(out.values, ref.values);
  EXPECT_LT(err, toleranceFor(c.dtype)) << caseName(c);
  if (c.states) {
    download(gpu, dfin, fin);
    double e2 = relativeL2(fin.values, refFin.values);
    EXPECT_LT(e2, toleranceFor(c.dtype)) << caseName(c) << " final states";
  }
  std::printf("[ result   ] ssd %-36s rel_l2 %.3e\n", caseName(c).c_str(), err);
}

TEST(SsdGpu, Sweep) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (int64_t b : {1, 3})
      for (int64_t L : {1, 7, 256, 1000, 4096})
        for (int64_t n : {16, 64, 128})
          for (int64_t g : {1, 2})
            runSsd({t, b, L, n, g});
}

TEST(SsdGpu, Options) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (int64_t L : {1, 100, 777}) {
      SsdCase c{t, 2, L, 32, 2};
      c.states = true;
      runSsd(c);
      c.states = false;
      c.seqIdx = true;
      runSsd(c);
      c.seqIdx = false;
      c.dPerChannel = true;
      c.dtLimit = true;
      runSsd(c);
      for (int64_t p : {32, 128}) {
        SsdCase d{t, 1, L, 128, 1};
        d.headdim = p;
        runSsd(d);
      }
      SsdCase big{t, 1, L, 256, 1};
      runSsd(big);
    }
}

/// Every way the warps can split a chunk (1, 2 or 4 warps per 16-row tile,
/// the state split by rows or by columns), one and two stages, with the
/// state and label paths, against the CPU reference.
TEST(SsdGpu, Tiles) {
  REQUIRE_GPU();
  for (const char *tile :
       {"chunk = 64, p_tile = 64, warps = 4, stages = 2, segments = 1",
        "chunk = 64, p_tile = 64, warps = 8, stages = 2, segments = 1",
        "chunk = 64, p_tile = 32, warps = 8, stages = 1, segments = 1",
        "chunk = 32, p_tile = 32, warps = 4, stages = 2, segments = 1",
        "chunk = 32, p_tile = 32, warps = 8, stages = 2, segments = 1",
        "chunk = 128, p_tile = 64, warps = 8, stages = 1, segments = 1",
        "chunk = 64, p_tile = 64, warps = 16, stages = 2, segments = 1",
        "chunk = 32, p_tile = 64, warps = 16, stages = 2, segments = 1"})
    for (DType t : kDTypes)
      for (int64_t L : {1, 100, 777}) {
        SsdCase c{t, 2, L, 64, 2};
        c.tile = tile;
        c.states = true;
        runSsd(c);
        c.states = false;
        c.seqIdx = true;
        runSsd(c);
      }
}

/// Sequences split over blocks (`segments` at batch 1, segments / batch
/// at batch 2): lengths with empty segments (1 and 7 tokens: one chunk),
/// a few chunks (100), uneven segments (777) and long ones (4096), both
/// stage counts and the most segments, with states and labels.
TEST(SsdGpu, Segments) {
  REQUIRE_GPU();
  for (const char *tile :
       {"chunk = 32, p_tile = 64, warps = 8, stages = 2, segments = 3",
        "chunk = 64, p_tile = 64, warps = 16, stages = 2, segments = 2",
        "chunk = 64, p_tile = 32, warps = 8, stages = 1, segments = 8"})
    for (DType t : kDTypes)
      for (int64_t L : {1, 7, 100, 777, 4096})
        for (int64_t batch : {1, 2}) {
          SsdCase c{t, batch, L, 64, 2};
          c.tile = tile;
          runSsd(c);
          c.states = true;
          runSsd(c);
          c.states = false;
          c.seqIdx = true;
          runSsd(c);
        }
}

//===----------------------------------------------------------------------===//
// causal_conv1d and causal_conv1d_update
//===----------------------------------------------------------------------===//

void runConv(DType t, int64_t Bt, int64_t L, int64_t W, bool last,
             bool extras) {
  GpuFixture &fx = GpuFixture::get();
  std::mt19937_64 rng(L * 17 + W + Bt + last);
  const int64_t D = 96;
  CausalConv1dSpec spec;
  spec.dtype = spec.wtype = t;
  spec.channels = D;
  spec.width = W;
  spec.channelLast = last;
  spec.initialStates = spec.finalStates = spec.seqIdx = extras;
  Result<std::vector<CompiledKernel>> k = fx.jit->compileModule(toMlir(spec));
  ASSERT_TRUE(k.ok()) << k.error();
  std::vector<int64_t> xs =
      last ? std::vector<int64_t>{Bt, L, D} : std::vector<int64_t>{Bt, D, L};
  HostArray x = HostArray::random(t, xs, rng, -1, 1);
  HostArray w = HostArray::random(t, {D, W}, rng, -1, 1);
  HostArray bias = HostArray::random(t, {D}, rng, -1, 1);
  HostArray init = HostArray::random(t, {Bt, D, W - 1}, rng, -1, 1);
  HostArray seq = HostArray::zeros(DType::I32, {Bt, L});
  for (int64_t b = 0; b < Bt; ++b)
    for (int64_t i = 0; i < L; ++i)
      seq.values[b * L + i] =
          float(i < 3 && b == 1 ? -1 : (i * 2) / std::max<int64_t>(L, 1));
  std::vector<int32_t> seqInts(seq.values.begin(), seq.values.end());
  HostArray out = HostArray::zeros(t, xs),
            fin = HostArray::zeros(t, {Bt, D, W - 1});
  HostArray ref = HostArray::zeros(DType::F32, xs);
  HostArray refFin = HostArray::zeros(DType::F32, {Bt, D, W - 1});
  // Index order (b, d, t) for both layouts.
  int64_t sb = D * L, sd = last ? 1 : L, sl = last ? D : 1;
  cpu::CausalConv1dArgs a;
  a.batch = Bt;
  a.channels = D;
  a.seqlen = L;
  a.width = W;
  a.silu = true;
  a.x = cpu::View(x.values.data(), sb, sd, sl);
  a.weight = w.stridedView();
  a.bias = bias.stridedView();
  a.out = cpu::View(ref.values.data(), sb, sd, sl);
  if (extras) {
    a.initialStates = init.stridedView();
    a.finalStates = refFin.stridedView();
    a.seqIdx.data = seqInts.data();
    a.seqIdx.stride[0] = L;
    a.seqIdx.stride[1] = 1;
  }
  cpu::causalConv1d(a);

  GpuContext &gpu = *fx.gpu;
  DeviceBuffer dx = upload(gpu, x), dw = upload(gpu, w), db = upload(gpu, bias),
               di = upload(gpu, init), ds = upload(gpu, seq);
  DeviceBuffer dout = poisoned(gpu, out), dfin = poisoned(gpu, fin);
  CausalConv1dParams p{};
  p.x = dx.data();
  p.weight = dw.data();
  p.bias = db.data();
  p.initial_states = extras ? di.data() : nullptr;
  p.final_states = extras ? dfin.data() : nullptr;
  p.seq_idx = extras ? ds.as<int>() : nullptr;
  p.out = dout.data();
  p.batch = Bt;
  p.seqlen = L;
  p.x_batch_stride = p.out_batch_stride = sb;
  p.x_l_stride = p.out_l_stride = sl;
  p.x_c_stride = p.out_c_stride = sd;
  p.initial_states_batch_stride = p.final_states_batch_stride = D * (W - 1);
  p.initial_states_c_stride = p.final_states_c_stride = W - 1;
  p.seq_idx_batch_stride = L;
  LaunchSizes sizes;
  sizes.batch = Bt;
  sizes.seqlen = L;
  Status s = (*k)[0].launch(&p, sizeof(p), sizes);
  ASSERT_TRUE(s.ok()) << s.error();
  download(gpu, dout, out);
  double err = relativeL2(out.values, ref.values);
  std::string name = std::string(dtypeName(t)) + "_b" + std::to_string(Bt) +
                     "_L" + std::to_string(L) + "_W" + std::to_string(W) +
                     (last ? "_last" : "_first") +
                     (extras ? "_states_seq" : "");
  EXPECT_LT(err, toleranceFor(t)) << name;
  if (extras) {
    download(gpu, dfin, fin);
    EXPECT_LT(relativeL2(fin.values, refFin.values), toleranceFor(t)) << name;
  }
  std::printf("[ result   ] causal_conv1d %-32s rel_l2 %.3e\n", name.c_str(),
              err);
}

TEST(CausalConv1dGpu, Sweep) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (int64_t b : {1, 3})
      for (int64_t L : {1, 7, 256, 1000, 4096})
        for (int64_t w : {2, 3, 4})
          for (bool last : {false, true}) {
            runConv(t, b, L, w, last, false);
            if (L <= 1000)
              runConv(t, b, L, w, last, true);
          }
}

void runConvUpdate(DType t, int64_t Bt, int64_t W, int64_t K, bool indices) {
  GpuFixture &fx = GpuFixture::get();
  std::mt19937_64 rng(Bt * 5 + W * 3 + K + indices);
  const int64_t D = 200, S = indices ? Bt * 2 + 1 : Bt;
  CausalConv1dUpdateSpec spec;
  spec.dtype = spec.wtype = t;
  spec.channels = D;
  spec.width = W;
  spec.stateLen = K;
  spec.stateIndices = indices;
  Result<std::vector<CompiledKernel>> k = fx.jit->compileModule(toMlir(spec));
  ASSERT_TRUE(k.ok()) << k.error();
  HostArray x = HostArray::random(t, {Bt, D}, rng, -1, 1);
  HostArray state = HostArray::random(t, {S, D, K}, rng, -1, 1);
  HostArray w = HostArray::random(t, {D, W}, rng, -1, 1);
  HostArray bias = HostArray::random(t, {D}, rng, -1, 1);
  HostArray idx = HostArray::zeros(DType::I32, {Bt});
  for (int64_t b = 0; b < Bt; ++b)
    idx.values[b] = float(b == 1 ? -1 : (S - 1 - 2 * b));
  std::vector<int32_t> idxInts(idx.values.begin(), idx.values.end());
  HostArray refState = state;
  HostArray ref = HostArray::zeros(DType::F32, {Bt, D});
  cpu::CausalConv1dUpdateArgs a;
  a.batch = Bt;
  a.channels = D;
  a.width = W;
  a.stateLen = K;
  a.silu = true;
  a.x = x.stridedView();
  a.convState = refState.stridedView();
  a.weight = w.stridedView();
  a.bias = bias.stridedView();
  a.out = ref.stridedView();
  if (indices) {
    a.stateIndices.data = idxInts.data();
    a.stateIndices.stride[0] = 1;
  }
  cpu::causalConv1dUpdate(a);
  for (float &v : refState.values)
    v = roundTo(t, v);

  GpuContext &gpu = *fx.gpu;
  DeviceBuffer dx = upload(gpu, x), ds = upload(gpu, state),
               dw = upload(gpu, w), db = upload(gpu, bias),
               di = upload(gpu, idx);
  HostArray out = HostArray::zeros(t, {Bt, D});
  DeviceBuffer dout = poisoned(gpu, out);
  CausalConv1dUpdateParams p{};
  p.x = dx.data();
  p.conv_state = ds.data();
  p.weight = dw.data();
  p.bias = db.data();
  p.state_indices = indices ? di.as<int>() : nullptr;
  p.out = dout.data();
  p.batch = Bt;
  p.x_batch_stride = p.out_batch_stride = D;
  p.state_batch_stride = D * K;
  p.state_c_stride = K;
  LaunchSizes sizes;
  sizes.batch = Bt;
  Status s = (*k)[0].launch(&p, sizeof(p), sizes);
  ASSERT_TRUE(s.ok()) << s.error();
  download(gpu, dout, out);
  HostArray gotState = state;
  download(gpu, ds, gotState);
  std::string name = std::string(dtypeName(t)) + "_b" + std::to_string(Bt) +
                     "_W" + std::to_string(W) + "_K" + std::to_string(K) +
                     (indices ? "_indices" : "");
  EXPECT_LT(relativeL2(out.values, ref.values), toleranceFor(t)) << name;
  EXPECT_EQ(relativeL2(gotState.values, refState.values), 0.0) << name;
}

TEST(CausalConv1dUpdateGpu, Sweep) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (int64_t b : {1, 3})
      for (int64_t w : {2, 3, 4}) {
        runConvUpdate(t, b, w, w, false);
        runConvUpdate(t, b, w, w + 2, b == 3);
      }
}

//===----------------------------------------------------------------------===//
// selective_state_update
//===----------------------------------------------------------------------===//

void runStateUpdate(DType t, DType st, bool headForm, int64_t Bt, int64_t N,
                    int64_t G, bool indices, const std::string &tile = "") {
  GpuFixture &fx = GpuFixture::get();
  std::mt19937_64 rng(Bt * 11 + N + G * 3 + headForm + indices);
  const int64_t H = headForm ? 6 : 1, P = headForm ? 64 : 256;
  const int64_t S = indices ? 2 * Bt + 2 : Bt;
  SelectiveStateUpdateSpec spec;
  spec.dtype = t;
  spec.stateType = st;
  spec.headForm = headForm;
  spec.heads = H;
  spec.headdim = P;
  spec.groups = G;
  spec.dstate = N;
  spec.stateIndices = indices;
  spec.dPerChannel = headForm && N == 64;
  spec.tile = tile;
  Result<std::vector<CompiledKernel>> k = fx.jit->compileModule(toMlir(spec));
  ASSERT_TRUE(k.ok()) << k.error();
  HostArray state = HostArray::random(st, {S, H, P, N}, rng, -1, 1);
  HostArray x = HostArray::random(t, {Bt, H, P}, rng, -1, 1);
  HostArray dt = HostArray::random(
      t, headForm ? std::vector<int64_t>{Bt, H} : std::vector<int64_t>{Bt, P},
      rng, -3, 0.5);
  HostArray A = HostArray::random(DType::F32,
                                  headForm ? std::vector<int64_t>{H}
                                           : std::vector<int64_t>{P, N},
                                  rng, -2, -0.1f);
  HostArray B = HostArray::random(t, {Bt, G, N}, rng, -1, 1);
  HostArray C = HostArray::random(t, {Bt, G, N}, rng, -1, 1);
  HostArray Dv = HostArray::random(DType::F32,
                                   spec.dPerChannel || !headForm
                                       ? std::vector<int64_t>{H * P}
                                       : std::vector<int64_t>{H},
                                   rng, -1, 1);
  HostArray z = HostArray::random(t, {Bt, H, P}, rng, -2, 2);
  HostArray bias = HostArray::random(
      DType::F32, headForm ? std::vector<int64_t>{H} : std::vector<int64_t>{P},
      rng, -1, 1);
  HostArray idx = HostArray::zeros(DType::I32, {Bt});
  for (int64_t b = 0; b < Bt; ++b)
    idx.values[b] = float(b == 1 ? -1 : S - 1 - 2 * b);
  std::vector<int32_t> idxInts(idx.values.begin(), idx.values.end());

  HostArray refState = state;
  HostArray ref = HostArray::zeros(DType::F32, {Bt, H, P});
  cpu::SelectiveStateUpdateArgs a;
  a.batch = Bt;
  a.heads = H;
  a.headdim = P;
  a.dstate = N;
  a.groups = G;
  a.tiedHead = headForm;
  a.dtSoftplus = true;
  a.state = refState.stridedView();
  a.x = x.stridedView();
  a.A = A.stridedView();
  if (headForm) {
    a.dt = dt.stridedView();
    a.dtBias = bias.stridedView();
  } else {
    a.dt = cpu::View(dt.values.data(), P, 0, 1);
    a.dtBias = cpu::View(bias.values.data(), 0, 1);
    a.A = cpu::View(A.values.data(), 0, N, 1);
  }
  a.B = B.stridedView();
  a.C = C.stridedView();
  a.D = (spec.dPerChannel || !headForm) ? cpu::View(Dv.values.data(), P, 1)
                                        : cpu::View(Dv.values.data(), 1, 0);
  a.z = z.stridedView();
  if (indices) {
    a.stateIndices.data = idxInts.data();
    a.stateIndices.stride[0] = 1;
  }
  a.out = ref.stridedView();
  cpu::selectiveStateUpdate(a);

  GpuContext &gpu = *fx.gpu;
  DeviceBuffer ds = upload(gpu, state), dx = upload(gpu, x),
               ddt = upload(gpu, dt), dA = upload(gpu, A), dB = upload(gpu, B),
               dC = upload(gpu, C), dD = upload(gpu, Dv), dz = upload(gpu, z),
               dbias = upload(gpu, bias), di = upload(gpu, idx);
  HostArray out = HostArray::zeros(t, {Bt, H, P});
  DeviceBuffer dout = poisoned(gpu, out);
  SelectiveStateUpdateParams p{};
  p.state = ds.data();
  p.x = dx.data();
  p.dt = ddt.data();
  p.A = dA.as<float>();
  p.B = dB.data();
  p.C = dC.data();
  p.D = dD.data();
  p.z = dz.data();
  p.dt_bias = dbias.data();
  p.state_indices = indices ? di.as<int>() : nullptr;
  p.out = dout.data();
  p.batch = Bt;
  p.state_batch_stride = H * P * N;
  p.state_head_stride = P * N;
  p.x_batch_stride = p.z_batch_stride = p.out_batch_stride = H * P;
  p.x_head_stride = p.z_head_stride = p.out_head_stride = P;
  p.dt_batch_stride = headForm ? H : P;
  p.dt_head_stride = headForm ? 1 : 0;
  p.B_batch_stride = p.C_batch_stride = G * N;
  p.B_group_stride = p.C_group_stride = N;
  p.dt_min = 0.0f;
  p.dt_max = INFINITY;
  LaunchSizes sizes;
  sizes.batch = Bt;
  Status s = (*k)[0].launch(&p, sizeof(p), sizes);
  ASSERT_TRUE(s.ok()) << s.error();
  download(gpu, dout, out);
  HostArray gotState = state;
  download(gpu, ds, gotState);
  std::string name = std::string(headForm ? "m2_" : "m1_") + dtypeName(t) +
                     "_state" + dtypeName(st) + "_b" + std::to_string(Bt) +
                     "_N" + std::to_string(N) + "_G" + std::to_string(G) +
                     (indices ? "_indices" : "") + tileLabel(tile);
  double err = relativeL2(out.values, ref.values);
  double tol = st == DType::F32 ? toleranceFor(t) : 1e-2;
  EXPECT_LT(err, tol) << name;
  EXPECT_LT(relativeL2(gotState.values, refState.values), tol) << name;
  std::printf("[ result   ] selective_state_update %-36s rel_l2 %.3e\n",
              name.c_str(), err);
}

TEST(SelectiveStateUpdateGpu, Sweep) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (int64_t b : {1, 3})
      for (int64_t n : {16, 64, 128})
        for (int64_t g : {1, 2}) {
          runStateUpdate(t, DType::F32, true, b, n, g, false);
          runStateUpdate(t, DType::F32, false, b, n, g, b == 3);
          runStateUpdate(t, DType::BF16, true, b, n, g, b == 3);
        }
}

/// Fewer lanes per state row than 16-byte vectors in it: each lane holds
/// several vectors, interleaved with the other lanes', in both forms and
/// both state types; d_state 24 gives lanes a share that is not whole
/// vectors (6 f32 values with 4 lanes), which stays contiguous.
TEST(SelectiveStateUpdateGpu, LanesPerRow) {
  REQUIRE_GPU();
  for (int64_t lanes : {1, 2, 4, 8, 16})
    for (DType t : kDTypes)
      for (int64_t n : {16, 24, 64, 128}) {
        if (n % lanes != 0)
          continue;
        const std::string tile =
            "lanes_per_row = " + std::to_string(lanes) + ", warps = 4";
        runStateUpdate(t, DType::F32, true, 3, n, 2, false, tile);
        runStateUpdate(t, DType::F32, false, 3, n, 1, true, tile);
        runStateUpdate(t, DType::BF16, true, 3, n, 1, true, tile);
      }
}

//===----------------------------------------------------------------------===//
// The fused decode steps of mamba-fuse-decode
//===----------------------------------------------------------------------===//

/// Runs @step of `ir` unfused on the CPU backend and planned by the Jit's
/// mamba-to-cuda (which fuses it) on the CUDA backend, for two decode steps
/// (the second from the first's states, so the kernel's cross-block
/// counters must have been left at zero), and compares every result:
/// outputs and SSM states within `tol`, conv states exactly (they are
/// shifted inputs). `fusedOp` must be in the planned module.
void runFusedStep(const std::string &ir, const std::vector<StepArg> &args,
                  const std::vector<StepArg> &results, int64_t stateRows,
                  const std::vector<std::pair<size_t, size_t>> &stateResults,
                  const std::string &fusedOp, double tol,
                  const std::string &name) {
  SCOPED_TRACE(name);
  GpuFixture &fx = GpuFixture::get();
  mlir::MLIRContext &ctx = fx.jit->impl().context;
  mlir::OwningOpRef<mlir::ModuleOp> unfused =
      mlir::parseSourceString<mlir::ModuleOp>(ir, &ctx);
  mlir::OwningOpRef<mlir::ModuleOp> fused =
      mlir::parseSourceString<mlir::ModuleOp>(ir, &ctx);
  ASSERT_TRUE(unfused && fused) << ir;
  Status planned = fx.jit->impl().plan(*fused);
  ASSERT_TRUE(planned.ok()) << planned.error();
  int found = 0;
  fused->walk([&](mlir::Operation *op) {
    found += op->getName().getStringRef() == fusedOp &&
             (fusedOp != "mamba.selective_state_update" ||
              mlir::cast<mlir::mamba::SelectiveStateUpdateOp>(op).getDtProj());
  });
  ASSERT_EQ(found, 1) << "mamba-to-cuda did not fuse:\n" << ir;
  Result<std::unique_ptr<cuda::CudaBackend>> gpuBackend =
      cuda::CudaBackend::create(fx.gpu, *fx.jit);
  ASSERT_TRUE(gpuBackend.ok()) << gpuBackend.error();
  Status compiled = (*gpuBackend)->compileModule(*fused);
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  exec::CpuBackend cpu;
  auto fnOf = [](mlir::ModuleOp m) {
    return *m.getOps<mlir::func::FuncOp>().begin();
  };
  Result<std::unique_ptr<exec::FuncRunner>> ref =
      exec::FuncRunner::create(fnOf(*unfused), cpu);
  Result<std::unique_ptr<exec::FuncRunner>> got =
      exec::FuncRunner::create(fnOf(*fused), **gpuBackend);
  ASSERT_TRUE(ref.ok()) << ref.error();
  ASSERT_TRUE(got.ok()) << got.error();

  std::mt19937_64 rng(std::hash<std::string>()(name));
  std::vector<std::vector<float>> values;
  for (const StepArg &a : args)
    values.push_back(stepArgValues(a, rng, stateRows));
  std::vector<exec::RtTensor> refArgs, gpuArgs;
  for (size_t i = 0; i < args.size(); ++i) {
    Result<exec::RtTensor> h = cpu.allocate(args[i].dtype, args[i].shape);
    Result<exec::RtTensor> d =
        (*gpuBackend)->allocate(args[i].dtype, args[i].shape);
    ASSERT_TRUE(h.ok() && d.ok());
    std::vector<uint8_t> raw(values[i].size() * dtypeSize(args[i].dtype));
    for (size_t k = 0; k < values[i].size(); ++k) {
      if (args[i].dtype == DType::I32)
        static_cast<int32_t *>(h->data)[k] = int32_t(values[i][k]);
      else
        static_cast<float *>(h->data)[k] = values[i][k];
      storeFromFloat(raw.data(), args[i].dtype, k, values[i][k]);
    }
    Status up = fx.gpu->upload(d->data, raw.data(), raw.size());
    ASSERT_TRUE(up.ok()) << up.error();
    refArgs.push_back(h.take());
    gpuArgs.push_back(d.take());
  }
  auto hostValues = [](const exec::RtTensor &t) {
    std::vector<float> v(size_t(t.numel()));
    std::memcpy(v.data(), t.data, v.size() * 4);
    return v;
  };
  auto deviceValues = [&](const exec::RtTensor &t) {
    std::vector<uint8_t> raw(t.bytes());
    Status s = fx.gpu->download(raw.data(), t.data, raw.size());
    EXPECT_TRUE(s.ok()) << s.error();
    std::vector<float> v(size_t(t.numel()));
    for (size_t k = 0; k < v.size(); ++k)
      v[k] = loadAsFloat(raw.data(), t.dtype, k);
    return v;
  };
  for (int step = 0; step < 2; ++step) {
    Result<std::vector<exec::RtTensor>> r = (*ref)->run(refArgs);
    Result<std::vector<exec::RtTensor>> g = (*got)->run(gpuArgs);
    ASSERT_TRUE(r.ok()) << r.error();
    ASSERT_TRUE(g.ok()) << g.error();
    ASSERT_EQ(r->size(), results.size());
    ASSERT_EQ(g->size(), results.size());
    Status sync = fx.gpu->synchronize();
    ASSERT_TRUE(sync.ok()) << sync.error();
    for (size_t k = 0; k < results.size(); ++k) {
      ASSERT_TRUE((*r)[k].isContiguous() && (*g)[k].isContiguous());
      std::vector<float> want = hostValues((*r)[k]);
      // The CPU keeps f32; the GPU's results are in the IR's types.
      for (float &v : want)
        v = roundTo(results[k].dtype, v);
      double err = relativeL2(deviceValues((*g)[k]), want);
      bool convState = results[k].name == "conv_state";
      if (convState)
        EXPECT_EQ(err, 0.0) << results[k].name << " step " << step;
      else
        EXPECT_LT(err, tol) << results[k].name << " step " << step;
      if (k == 0)
        std::printf("[ result   ] %-26s %-56s step %d rel_l2 %.3e\n",
                    fusedOp.c_str(), name.c_str(), step, err);
    }
    // The next step starts from these states (copied when not in place).
    for (auto [res, arg] : stateResults) {
      if ((*r)[res].data != refArgs[arg].data)
        std::memcpy(refArgs[arg].data, (*r)[res].data, refArgs[arg].bytes());
      if ((*g)[res].data != gpuArgs[arg].data) {
        Status c = (*gpuBackend)->copy((*g)[res], gpuArgs[arg]);
        ASSERT_TRUE(c.ok()) << c.error();
      }
    }
  }
}

/// mamba.conv_state_update against causal_conv1d_update + SiLU + the
/// head-form selective_state_update on the CPU, over the shapes of the CPU
/// test (FuseDecodeCases.h) in every activation type, and with a bf16 state.
TEST(FuseDecodeGpu, ConvStateUpdateSweep) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (ConvStateCase c : convStateCases())
      for (DType st : {DType::F32, DType::BF16}) {
        if (st == DType::BF16 && (c.batch != 3 || c.dstate == 64))
          continue;
        c.dtype = t;
        c.stateType = st;
        double tol = st == DType::F32 ? toleranceFor(t) : 1e-2;
        runFusedStep(c.ir(), c.args(), c.results(), c.stateRows(),
                     {{1, 1}, {2, 3}}, "mamba.conv_state_update", tol,
                     c.name());
      }
}

/// selective_state_update with dt_proj (Mamba-1) against linear (cuBLAS's
/// job in the unfused graph, the CPU's here) + the update.
TEST(FuseDecodeGpu, DtProjSweep) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (DtProjCase c : dtProjCases()) {
      c.dtype = t;
      runFusedStep(c.ir(), c.args(), c.results(), c.stateRows(), {{1, 0}},
                   "mamba.selective_state_update", toleranceFor(t), c.name());
    }
}

/// One shape per SSM kernel, with every optional operand, that spans more than
/// one chunk or tile: small enough for compute-sanitizer's memcheck and
/// racecheck (scripts/gpu-check.sh sanitize).
TEST(SanitizeShapes, OnePerKernel) {
  REQUIRE_GPU();
  runSelectiveScan({DType::BF16, 2, 300, 16, 2}, true);
  runSelectiveScan({DType::BF16, 2, 300, 16, 2, "warps = 4, steps = 64"}, true);
  SsdCase ssd{DType::BF16, 2, 300, 32, 2};
  ssd.states = true;
  runSsd(ssd);
  ssd.states = false;
  ssd.seqIdx = true;
  ssd.dtLimit = true;
  runSsd(ssd);
  // A sequence split over blocks (8 / batch 2 = 4): light and full chunks
  // in one block.
  ssd.tile = "chunk = 32, p_tile = 32, warps = 8, stages = 2, segments = 8";
  ssd.states = true;
  runSsd(ssd);
  runConv(DType::BF16, 2, 300, 4, true, true);
  runConv(DType::BF16, 2, 300, 4, false, true);
  runConvUpdate(DType::BF16, 3, 4, 6, true);
  runStateUpdate(DType::BF16, DType::F32, true, 3, 64, 2, true);
  runStateUpdate(DType::BF16, DType::F32, false, 3, 16, 1, true);
  runStateUpdate(DType::BF16, DType::F32, true, 3, 128, 2, true,
                 "lanes_per_row = 8, warps = 4");
  // The fused decode step: six blocks of a batch row share each group's B
  // and C conv states (6 heads in 2 groups, P = 64 in 2 row blocks of 32
  // at the heuristic's 4 lanes a row), and a padding row.
  ConvStateCase fusedStep;
  fusedStep.dtype = DType::BF16;
  fusedStep.batch = 3;
  fusedStep.heads = 6;
  fusedStep.groups = 2;
  fusedStep.headdim = 64;
  fusedStep.dstate = 64;
  fusedStep.hasZ = fusedStep.indices = true;
  runFusedStep(fusedStep.ir(), fusedStep.args(), fusedStep.results(),
               fusedStep.stateRows(), {{1, 1}, {2, 3}},
               "mamba.conv_state_update", 1e-2, fusedStep.name());
}

//===----------------------------------------------------------------------===//
// argmax
//===----------------------------------------------------------------------===//

/// Rows of random values with NaNs, repeated maxima and a NaN-only row, over
/// views that leave out padded columns (row stride > cols) and rows that
/// are not 16-byte aligned; the ids must equal the CPU kernel's.
TEST(ArgmaxGpu, NansTiesAndViews) {
  REQUIRE_GPU();
  GpuFixture &f = GpuFixture::get();
  for (DType t : kDTypes)
    for (auto [rows, cols, stride] :
         {std::tuple<int64_t, int64_t, int64_t>{1, 1, 1},
          {3, 50277, 50280},
          {7, 1001, 1001},
          {64, 50280, 50280},
          {5, 333, 333}}) {
      ArgmaxSpec spec;
      spec.dtype = t;
      Result<std::vector<CompiledKernel>> k =
          f.jit->compileModule(toMlir(spec));
      ASSERT_TRUE(k.ok()) << k.error();
      std::mt19937_64 rng(rows * 7 + cols);
      HostArray x = HostArray::random(t, {rows, stride}, rng, -4, 4);
      for (int64_t r = 0; r < rows; ++r) {
        float *row = x.values.data() + r * stride;
        row[rng() % cols] = NAN;
        if (cols > 2 && r % 2 == 0) { // a tie: the lower column must win
          int64_t a = rng() % cols, b = rng() % cols;
          row[a] = row[b] = 8.0f;
        }
        if (r == 2) // all NaN: id 0
          for (int64_t c = 0; c < cols; ++c)
            row[c] = NAN;
      }
      x.setBytes(x.bytes()); // NaN survives the rounding
      std::vector<int32_t> ref(rows);
      cpu::argmax(rows, cols, cpu::View(x.values.data(), stride, 1),
                  ref.data());
      GpuContext &gpu = *f.gpu;
      DeviceBuffer dx = upload(gpu, x);
      Result<DeviceBuffer> dids = gpu.alloc(size_t(rows) * 4);
      ASSERT_TRUE(dids.ok()) << dids.error();
      ASSERT_TRUE(gpu.zero(dids->data(), size_t(rows) * 4).ok());
      ArgmaxParams p{};
      p.x = dx.data();
      p.ids = dids->as<int>();
      p.rows = rows;
      p.cols = cols;
      p.x_row_stride = stride;
      LaunchSizes sizes;
      sizes.rows = rows;
      ASSERT_TRUE((*k)[0].launch(&p, sizeof(p), sizes).ok());
      std::vector<int32_t> got(rows);
      ASSERT_TRUE(
          gpu.download(got.data(), dids->data(), size_t(rows) * 4).ok());
      EXPECT_EQ(got, ref) << dtypeName(t) << " rows " << rows << " cols "
                          << cols;
    }
}

//===----------------------------------------------------------------------===//
// norms
//===----------------------------------------------------------------------===//

TEST(NormsGpu, RmsNormAndGated) {
  REQUIRE_GPU();
  GpuFixture &f = GpuFixture::get();
  for (DType t : kDTypes)
    for (int64_t rows : {1, 7, 300}) {
      std::mt19937_64 rng(rows + int(t));
      const int64_t cols = 768;
      RmsNormSpec spec;
      spec.dtype = spec.wtype = t;
      spec.cols = cols;
      Result<std::vector<CompiledKernel>> k =
          f.jit->compileModule(toMlir(spec));
      ASSERT_TRUE(k.ok()) << k.error();
      HostArray x = HostArray::random(t, {rows, cols}, rng, -2, 2);
      HostArray w = HostArray::random(t, {cols}, rng, 0.5, 1.5);
      HostArray r = HostArray::random(DType::F32, {rows, cols}, rng, -2, 2);
      HostArray ref = HostArray::zeros(DType::F32, {rows, cols});
      HostArray refR = HostArray::zeros(DType::F32, {rows, cols});
      cpu::RmsNormArgs a;
      a.rows = rows;
      a.cols = cols;
      a.x = x.stridedView();
      a.weight = w.stridedView();
      a.residual = r.stridedView();
      a.y = ref.stridedView();
      a.residualOut = refR.stridedView();
      cpu::rmsNorm(a);
      GpuContext &gpu = *f.gpu;
      DeviceBuffer dx = upload(gpu, x), dw = upload(gpu, w),
                   dr = upload(gpu, r);
      HostArray y = HostArray::zeros(t, {rows, cols});
      HostArray ro = HostArray::zeros(DType::F32, {rows, cols});
      DeviceBuffer dy = poisoned(gpu, y), dro = poisoned(gpu, ro);
      RmsNormParams p{};
      p.x = dx.data();
      p.residual = dr.data();
      p.weight = dw.data();
      p.y = dy.data();
      p.residual_out = dro.data();
      p.rows = rows;
      p.x_row_stride = p.residual_row_stride = p.y_row_stride =
          p.residual_out_row_stride = cols;
      p.eps = 1e-5f;
      LaunchSizes sizes;
      sizes.rows = rows;
      ASSERT_TRUE((*k)[0].launch(&p, sizeof(p), sizes).ok());
      download(gpu, dy, y);
      download(gpu, dro, ro);
      EXPECT_LT(relativeL2(y.values, ref.values), toleranceFor(t));
      EXPECT_LT(relativeL2(ro.values, refR.values), 1e-6);

      for (bool before : {false, true}) {
        GatedRmsNormSpec gs;
        gs.dtype = gs.wtype = t;
        gs.cols = 1024;
        gs.groupSize = 256;
        gs.normBeforeGate = before;
        Result<std::vector<CompiledKernel>> gk =
            f.jit->compileModule(toMlir(gs));
        ASSERT_TRUE(gk.ok()) << gk.error();
        HostArray gx = HostArray::random(t, {rows, 1024}, rng, -2, 2);
        HostArray gz = HostArray::random(t, {rows, 1024}, rng, -2, 2);
        HostArray gw = HostArray::random(t, {1024}, rng, 0.5, 1.5);
        HostArray gref = HostArray::zeros(DType::F32, {rows, 1024});
        cpu::GatedRmsNormArgs ga;
        ga.rows = rows;
        ga.cols = 1024;
        ga.groupSize = 256;
        ga.normBeforeGate = before;
        ga.x = gx.stridedView();
        ga.z = gz.stridedView();
        ga.weight = gw.stridedView();
        ga.y = gref.stridedView();
        cpu::gatedRmsNorm(ga);
        DeviceBuffer dgx = upload(gpu, gx), dgz = upload(gpu, gz),
                     dgw = upload(gpu, gw);
        HostArray gy = HostArray::zeros(t, {rows, 1024});
        DeviceBuffer dgy = poisoned(gpu, gy);
        GatedRmsNormParams gp{};
        gp.x = dgx.data();
        gp.z = dgz.data();
        gp.weight = dgw.data();
        gp.y = dgy.data();
        gp.rows = rows;
        gp.x_row_stride = gp.z_row_stride = gp.y_row_stride = 1024;
        gp.eps = 1e-5f;
        ASSERT_TRUE((*gk)[0].launch(&gp, sizeof(gp), sizes).ok());
        download(gpu, dgy, gy);
        EXPECT_LT(relativeL2(gy.values, gref.values), toleranceFor(t));
      }
    }
}

} // namespace
