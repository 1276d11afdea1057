//===- PackedGpuTest.cpp - the packed (cu_seqlens) kernels vs the CPU -----===//
//
// causal_conv1d, selective_scan (both variants) and ssd with cu_seqlens: S
// sequences packed in one batch row, per-sequence initial and final states,
// against the CPU's packed kernels (runtime/cpu, each sequence as a batch of
// one). Lengths include 1, odd ones, ones past a tile or chunk, boundaries
// inside a chunk, empty sequences and S = 1. Fresh random inputs, outputs
// poisoned with NaN, relative L2 within design.md's tolerances (f32 1e-5,
// f16/bf16 1e-2). Skipped with a message when no GPU is present.
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtils.h"

#include "codegen/device/Params.h"
#include "frontend/OpSpecs.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace mamba;
using namespace mamba::test;

namespace {

#define REQUIRE_GPU()                                                          \
  GpuFixture &fx = GpuFixture::get();                                          \
  if (!fx.gpu)                                                                 \
  GTEST_SKIP() << "no GPU: " << fx.why

const DType kDTypes[] = {DType::F32, DType::F16, DType::BF16};

/// The packings every kernel runs: S = 1 (short and past a tile), lengths
/// 1 and odd ones, boundaries inside chunks of 32 to 256, lengths past a
/// chunk, and empty sequences (which pass their initial state through).
const std::vector<std::vector<int64_t>> kPackings = {
    {1}, {300}, {1, 7, 64, 300, 2, 129}, {5, 0, 17, 1, 0}, {1000, 3, 513, 33},
};

/// cu_seqlens of `lengths`, as a host array (i32) and as ints.
struct CuSeqlens {
  HostArray array;
  std::vector<int32_t> ints;
  int64_t total = 0, seqs = 0;
};

CuSeqlens cuSeqlensOf(const std::vector<int64_t> &lengths) {
  CuSeqlens c;
  c.seqs = int64_t(lengths.size());
  c.array = HostArray::zeros(DType::I32, {c.seqs + 1});
  c.ints.assign(size_t(c.seqs) + 1, 0);
  for (int64_t s = 0; s < c.seqs; ++s)
    c.ints[s + 1] = c.ints[s] + int32_t(lengths[s]);
  for (int64_t s = 0; s <= c.seqs; ++s)
    c.array.values[s] = float(c.ints[s]);
  c.total = c.ints.back();
  return c;
}

cpu::Packed packedOf(const CuSeqlens &c) {
  cpu::Packed p;
  p.cuSeqlens.data = c.ints.data();
  p.cuSeqlens.stride[0] = 1;
  p.numSeqs = c.seqs;
  return p;
}

std::string lengthsLabel(const std::vector<int64_t> &lengths) {
  std::string s = "_S" + std::to_string(lengths.size()) + "[";
  for (size_t i = 0; i < lengths.size(); ++i)
    s += (i ? "," : "") + std::to_string(lengths[i]);
  return s + "]";
}

double stateTolerance(DType t) { return t == DType::F32 ? 1e-5 : 1e-2; }

/// A kernel output and the CPU's result for it.
struct Compared {
  const DeviceBuffer &device;
  HostArray &host;
  const HostArray &ref;
  double tolerance;
};

/// Launches `kernel` with `p` over `blockRows` x `L` and compares `out`,
/// and `states` when given (under `statesName`), with the CPU's results;
/// prints the output's error as "packed `kernelName` `name`".
template <typename Params>
void launchAndCompare(const CompiledKernel &kernel, const Params &p,
                      int64_t blockRows, int64_t L, const char *kernelName,
                      const std::string &name, Compared out,
                      const Compared *states, const char *statesName) {
  GpuContext &gpu = *GpuFixture::get().gpu;
  LaunchSizes sizes;
  sizes.batch = blockRows;
  sizes.seqlen = L;
  Status s = kernel.launch(&p, sizeof(p), sizes);
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_TRUE(gpu.synchronize().ok());
  download(gpu, out.device, out.host);
  const double err = relativeL2(out.host.values, out.ref.values);
  EXPECT_LT(err, out.tolerance) << name;
  if (states) {
    download(gpu, states->device, states->host);
    EXPECT_LT(relativeL2(states->host.values, states->ref.values),
              states->tolerance)
        << name << " " << statesName;
  }
  std::printf("[ result   ] packed %s %-44s rel_l2 %.3e\n", kernelName,
              name.c_str(), err);
}

//===----------------------------------------------------------------------===//
// causal_conv1d
//===----------------------------------------------------------------------===//

void runConvPacked(DType t, const std::vector<int64_t> &lengths, int64_t W,
                   bool last, bool states, const std::string &tile = "") {
  GpuFixture &fx = GpuFixture::get();
  const CuSeqlens cu = cuSeqlensOf(lengths);
  const int64_t D = 96, L = cu.total, S = cu.seqs;
  std::mt19937_64 rng(L * 17 + W + S + last);
  CausalConv1dSpec spec;
  spec.dtype = spec.wtype = t;
  spec.channels = D;
  spec.width = W;
  spec.channelLast = last;
  spec.packed = true;
  spec.initialStates = spec.finalStates = states;
  spec.tile = tile;
  Result<std::vector<CompiledKernel>> k = fx.jit->compileModule(toMlir(spec));
  ASSERT_TRUE(k.ok()) << k.error();
  std::vector<int64_t> xs =
      last ? std::vector<int64_t>{1, L, D} : std::vector<int64_t>{1, D, L};
  HostArray x = HostArray::random(t, xs, rng, -1, 1);
  HostArray w = HostArray::random(t, {D, W}, rng, -1, 1);
  HostArray bias = HostArray::random(t, {D}, rng, -1, 1);
  HostArray init = HostArray::random(t, {S, D, W - 1}, rng, -1, 1);
  HostArray out = HostArray::zeros(t, xs),
            fin = HostArray::zeros(t, {S, D, W - 1});
  HostArray ref = HostArray::zeros(DType::F32, xs);
  HostArray refFin = HostArray::zeros(DType::F32, {S, D, W - 1});
  // Index order (b, d, t) for both layouts.
  const int64_t sb = D * L, sd = last ? 1 : L, sl = last ? D : 1;
  cpu::CausalConv1dArgs a;
  a.batch = 1;
  a.channels = D;
  a.seqlen = L;
  a.width = W;
  a.silu = true;
  a.x = cpu::View(x.values.data(), sb, sd, sl);
  a.weight = w.stridedView();
  a.bias = bias.stridedView();
  a.out = cpu::View(ref.values.data(), sb, sd, sl);
  a.packed = packedOf(cu);
  if (states) {
    a.initialStates = init.stridedView();
    a.finalStates = refFin.stridedView();
  }
  cpu::causalConv1d(a);

  GpuContext &gpu = *fx.gpu;
  DeviceBuffer dx = upload(gpu, x), dw = upload(gpu, w), db = upload(gpu, bias),
               di = upload(gpu, init), dcu = upload(gpu, cu.array);
  DeviceBuffer dout = poisoned(gpu, out), dfin = poisoned(gpu, fin);
  CausalConv1dParams p{};
  p.x = dx.data();
  p.weight = dw.data();
  p.bias = db.data();
  p.initial_states = states ? di.data() : nullptr;
  p.final_states = states ? dfin.data() : nullptr;
  p.out = dout.data();
  p.batch = 1;
  p.seqlen = L;
  p.x_batch_stride = p.out_batch_stride = sb;
  p.x_l_stride = p.out_l_stride = sl;
  p.x_c_stride = p.out_c_stride = sd;
  p.initial_states_batch_stride = p.final_states_batch_stride = D * (W - 1);
  p.initial_states_c_stride = p.final_states_c_stride = W - 1;
  p.cu_seqlens = dcu.as<int>();
  p.num_seqs = S;
  const std::string name = std::string(dtypeName(t)) + lengthsLabel(lengths) +
                           "_W" + std::to_string(W) +
                           (last ? "_last" : "_first") +
                           (states ? "_states" : "") + tileLabel(tile);
  const Compared finals{dfin, fin, refFin, stateTolerance(t)};
  launchAndCompare((*k)[0], p, 1, L, "causal_conv1d", name,
                   {dout, out, ref, toleranceFor(t)},
                   states ? &finals : nullptr, "final states");
}

TEST(PackedGpu, CausalConv1d) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (const std::vector<int64_t> &lengths : kPackings)
      for (int64_t w : {2, 4})
        for (bool last : {false, true})
          for (bool states : {false, true})
            runConvPacked(t, lengths, w, last, states);
}

/// Tiles shorter than a sequence and than the halo's reach: l_tile 16 and
/// 32 put most boundaries inside a tile and some sequences across several.
TEST(PackedGpu, CausalConv1dTiles) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (const std::vector<int64_t> &lengths : kPackings) {
      runConvPacked(t, lengths, 3, false, true,
                    "l_tile = 32, c_tile = 8, threads = 64");
      runConvPacked(t, lengths, 4, true, true,
                    "l_tile = 16, c_tile = 64, threads = 256");
    }
}

//===----------------------------------------------------------------------===//
// selective_scan
//===----------------------------------------------------------------------===//

void runScanPacked(DType t, const std::vector<int64_t> &lengths, int64_t N,
                   int64_t G, bool states, const std::string &tile = "") {
  GpuFixture &fx = GpuFixture::get();
  const CuSeqlens cu = cuSeqlensOf(lengths);
  const int64_t D = 128, L = cu.total, S = cu.seqs;
  std::mt19937_64 rng(L * 7919 + N * 31 + S + G);
  SelectiveScanSpec spec;
  spec.dtype = t;
  spec.channels = D;
  spec.dstate = N;
  spec.groups = G;
  spec.packed = true;
  spec.initialState = spec.lastState = states;
  spec.tile = tile;
  Result<std::vector<CompiledKernel>> k = fx.jit->compileModule(toMlir(spec));
  ASSERT_TRUE(k.ok()) << k.error();

  HostArray u = HostArray::random(t, {1, D, L}, rng, -1, 1);
  HostArray delta = HostArray::random(t, {1, D, L}, rng, -3, 0.5);
  HostArray A = HostArray::random(DType::F32, {D, N}, rng, -2, -0.1f);
  HostArray B = HostArray::random(t, {1, G, N, L}, rng, -1, 1);
  HostArray C = HostArray::random(t, {1, G, N, L}, rng, -1, 1);
  HostArray Dv = HostArray::random(DType::F32, {D}, rng, -1, 1);
  HostArray z = HostArray::random(t, {1, D, L}, rng, -2, 2);
  HostArray bias = HostArray::random(DType::F32, {D}, rng, -1, 0.5);
  HostArray init = HostArray::random(DType::F32, {S, D, N}, rng, -1, 1);
  HostArray out = HostArray::zeros(t, {1, D, L});
  HostArray last = HostArray::zeros(DType::F32, {S, D, N});
  HostArray ref = HostArray::zeros(DType::F32, {1, D, L});
  HostArray refLast = HostArray::zeros(DType::F32, {S, D, N});
  cpu::SelectiveScanArgs a;
  a.batch = 1;
  a.channels = D;
  a.seqlen = L;
  a.dstate = N;
  a.groupsB = a.groupsC = G;
  a.deltaSoftplus = true;
  a.u = u.stridedView();
  a.delta = delta.stridedView();
  a.A = A.stridedView();
  a.B = B.stridedView();
  a.C = C.stridedView();
  a.D = Dv.stridedView();
  a.z = z.stridedView();
  a.deltaBias = bias.stridedView();
  a.packed = packedOf(cu);
  if (states) {
    a.initialState = init.stridedView();
    a.lastState = refLast.stridedView();
  }
  a.out = ref.stridedView();
  cpu::selectiveScan(a);

  GpuContext &gpu = *fx.gpu;
  DeviceBuffer du = upload(gpu, u), ddelta = upload(gpu, delta),
               dA = upload(gpu, A), dB = upload(gpu, B), dC = upload(gpu, C),
               dD = upload(gpu, Dv), dz = upload(gpu, z),
               dbias = upload(gpu, bias), dinit = upload(gpu, init),
               dcu = upload(gpu, cu.array);
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
  p.initial_state = states ? dinit.as<float>() : nullptr;
  p.last_state = states ? dlast.as<float>() : nullptr;
  p.batch = 1;
  p.seqlen = L;
  p.u_batch_stride = p.delta_batch_stride = p.z_batch_stride =
      p.out_batch_stride = D * L;
  p.u_d_stride = p.delta_d_stride = p.z_d_stride = p.out_d_stride = L;
  p.B_batch_stride = p.C_batch_stride = G * N * L;
  p.B_group_stride = p.C_group_stride = N * L;
  p.B_n_stride = p.C_n_stride = L;
  p.cu_seqlens = dcu.as<int>();
  const std::string name = std::string(dtypeName(t)) + lengthsLabel(lengths) +
                           "_N" + std::to_string(N) + "_G" + std::to_string(G) +
                           (states ? "_states" : "") + tileLabel(tile);
  const Compared lasts{dlast, last, refLast, stateTolerance(t)};
  // One block row per sequence.
  launchAndCompare((*k)[0], p, S, L, "selective_scan", name,
                   {dout, out, ref, toleranceFor(t)}, states ? &lasts : nullptr,
                   "last states");
}

TEST(PackedGpu, SelectiveScan) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (const std::vector<int64_t> &lengths : kPackings)
      for (int64_t n : {16, 64})
        for (int64_t g : {1, 2})
          runScanPacked(t, lengths, n, g, n == 16 || g == 2);
}

/// A tuned chunked tile (8 items a lane: chunks of 256 steps, 4 states a
/// tile) and the state-parallel variant that short sequences take.
TEST(PackedGpu, SelectiveScanTiles) {
  REQUIRE_GPU();
  for (const char *tile :
       {"warps = 2, channels_per_warp = 1, items = 8, n_tile = 4",
        "warps = 4, steps = 64", "warps = 2, steps = 32"})
    for (DType t : kDTypes)
      for (const std::vector<int64_t> &lengths : kPackings)
        for (int64_t n : {16, 64})
          runScanPacked(t, lengths, n, 2, true, tile);
}

//===----------------------------------------------------------------------===//
// ssd
//===----------------------------------------------------------------------===//

void runSsdPacked(DType t, const std::vector<int64_t> &lengths, int64_t N,
                  int64_t G, bool states, const std::string &tile = "") {
  GpuFixture &fx = GpuFixture::get();
  const CuSeqlens cu = cuSeqlensOf(lengths);
  const int64_t H = 4, P = 64, L = cu.total, S = cu.seqs;
  std::mt19937_64 rng(L * 131 + N * 7 + S + G);
  SsdSpec spec;
  spec.dtype = t;
  spec.heads = H;
  spec.headdim = P;
  spec.groups = G;
  spec.dstate = N;
  spec.packed = true;
  spec.initialStates = spec.finalStates = states;
  spec.tile = tile;
  Result<std::vector<CompiledKernel>> k = fx.jit->compileModule(toMlir(spec));
  ASSERT_TRUE(k.ok()) << k.error();

  HostArray x = HostArray::random(t, {1, L, H, P}, rng, -1, 1);
  HostArray dt = HostArray::random(t, {1, L, H}, rng, -4, 0);
  HostArray A = HostArray::random(DType::F32, {H}, rng, -3, -0.5f);
  HostArray B = HostArray::random(t, {1, L, G, N}, rng, -1, 1);
  HostArray C = HostArray::random(t, {1, L, G, N}, rng, -1, 1);
  HostArray Dv = HostArray::random(DType::F32, {H}, rng, -1, 1);
  HostArray z = HostArray::random(t, {1, L, H, P}, rng, -2, 2);
  HostArray bias = HostArray::random(DType::F32, {H}, rng, -1, 1);
  HostArray init = HostArray::random(DType::F32, {S, H, P, N}, rng, -1, 1);
  HostArray out = HostArray::zeros(t, {1, L, H, P});
  HostArray fin = HostArray::zeros(DType::F32, {S, H, P, N});
  HostArray ref = HostArray::zeros(DType::F32, {1, L, H, P});
  HostArray refFin = HostArray::zeros(DType::F32, {S, H, P, N});

  cpu::SsdArgs a;
  a.batch = 1;
  a.seqlen = L;
  a.heads = H;
  a.headdim = P;
  a.groups = G;
  a.dstate = N;
  a.dtSoftplus = true;
  a.x = x.stridedView();
  a.dt = dt.stridedView();
  a.A = A.stridedView();
  a.B = B.stridedView();
  a.C = C.stridedView();
  a.D = cpu::View(Dv.values.data(), 1, 0);
  a.z = z.stridedView();
  a.dtBias = bias.stridedView();
  a.packed = packedOf(cu);
  if (states) {
    a.initialStates = init.stridedView();
    a.finalStates = refFin.stridedView();
  }
  a.out = ref.stridedView();
  cpu::ssd(a);

  GpuContext &gpu = *fx.gpu;
  DeviceBuffer dx = upload(gpu, x), ddt = upload(gpu, dt), dA = upload(gpu, A),
               dB = upload(gpu, B), dC = upload(gpu, C), dD = upload(gpu, Dv),
               dz = upload(gpu, z), dbias = upload(gpu, bias),
               dinit = upload(gpu, init), dcu = upload(gpu, cu.array);
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
  p.initial_states = states ? dinit.as<float>() : nullptr;
  p.final_states = states ? dfin.as<float>() : nullptr;
  p.out = dout.data();
  p.batch = 1;
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
  p.cu_seqlens = dcu.as<int>();
  const std::string name = std::string(dtypeName(t)) + lengthsLabel(lengths) +
                           "_N" + std::to_string(N) + "_G" + std::to_string(G) +
                           (states ? "_states" : "") + tileLabel(tile);
  const Compared finals{dfin, fin, refFin, toleranceFor(t)};
  // One block row per sequence.
  launchAndCompare((*k)[0], p, S, L, "ssd", name,
                   {dout, out, ref, toleranceFor(t)},
                   states ? &finals : nullptr, "final states");
}

TEST(PackedGpu, Ssd) {
  REQUIRE_GPU();
  for (DType t : kDTypes)
    for (const std::vector<int64_t> &lengths : kPackings)
      for (int64_t n : {16, 64, 128})
        runSsdPacked(t, lengths, n, n == 64 ? 2 : 1, n != 128);
}

/// Chunks of 32 to 128 (boundaries inside most chunks of the packed row),
/// the warp splits, one and two stages, and the sequence split over blocks
/// per sequence (segments 3 and 8: empty segments for short sequences).
TEST(PackedGpu, SsdTiles) {
  REQUIRE_GPU();
  for (const char *tile :
       {"chunk = 64, p_tile = 64, warps = 4, stages = 2, segments = 1",
        "chunk = 64, p_tile = 32, warps = 8, stages = 1, segments = 1",
        "chunk = 32, p_tile = 64, warps = 16, stages = 2, segments = 1",
        "chunk = 128, p_tile = 64, warps = 8, stages = 1, segments = 1",
        "chunk = 32, p_tile = 64, warps = 8, stages = 2, segments = 3",
        "chunk = 64, p_tile = 32, warps = 8, stages = 1, segments = 8"})
    for (DType t : kDTypes)
      for (const std::vector<int64_t> &lengths : kPackings)
        runSsdPacked(t, lengths, 64, 2, true, tile);
}

} // namespace
