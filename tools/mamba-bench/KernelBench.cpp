//===- KernelBench.cpp - `mamba-bench kernels` ----------------------------===//
//
// Times every kernel shape of ../shared/docs/targets.md's kernel table:
// - kernel time only, as the median over many replays of a CUDA graph that
//   launches the kernel on several rotating copies of its inputs (so inputs
//   that fit in L2 are not measured from the cache);
// - inputs are random, never zeros;
// - the bandwidth roof is a large device-to-device copy timed in the same
//   process (bytes read + bytes written), and every result is reported as
//   achieved GB/s, the fraction of that roof, and the ratio to mamba_ssm.
//
//===----------------------------------------------------------------------===//

#include "KernelBench.h"

#include "codegen/device/Params.h"
#include "frontend/OpSpecs.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>

using namespace mamba;

namespace {

/// One device input or output of a benchmark.
struct BufferSpec {
  size_t elements;
  DType dtype;
  float lo, hi; // random range; output buffers are filled too
};

struct Bench {
  std::string name;
  std::string mlir;
  std::vector<BufferSpec> buffers;
  /// Fills the parameter struct from device pointers (one per buffer).
  std::function<std::vector<uint8_t>(const std::vector<void *> &)> params;
  LaunchSizes sizes;
  double floorBytes;  // each input read once, each output written once
  double referenceMs; // mamba_ssm on the H100 (targets.md); 0 if none
  std::string floorNote;
  /// The same benchmark with another tile (`mamba-bench kernels --tile`).
  std::function<Bench(const std::string &)> retile;
};

template <typename P> std::vector<uint8_t> bytesOf(const P &p) {
  std::vector<uint8_t> out(sizeof(P));
  std::memcpy(out.data(), &p, sizeof(P));
  return out;
}

/// Host random data in `dtype`, generated quickly (xorshift) and uploaded.
Status fillRandom(GpuContext &gpu, void *dst, const BufferSpec &b,
                  uint64_t seed) {
  std::vector<uint8_t> host(b.elements * dtypeSize(b.dtype));
  uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
  for (size_t i = 0; i < b.elements; ++i) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    float u = float(s >> 40) / float(1 << 24);
    storeFromFloat(host.data(), b.dtype, i, b.lo + (b.hi - b.lo) * u);
  }
  return gpu.upload(dst, host.data(), host.size());
}

/// refMs 0: no published figure (shapes of the models' prefill).
Bench selectiveScan(int64_t batch, int64_t L, double refMs, int64_t D = 5120,
                    std::string tile = "") {
  const int64_t N = 16;
  SelectiveScanSpec spec;
  spec.channels = D;
  spec.dstate = N;
  spec.tile = tile;
  Bench b;
  b.name = "selective_scan b" + std::to_string(batch) + " L" +
           std::to_string(L) + " D" + std::to_string(D) + " N16 bf16" +
           tileLabel(tile);
  b.mlir = toMlir(spec);
  size_t act = size_t(batch) * D * L;
  b.buffers = {{act, DType::BF16, -1, 1},                   // u
               {act, DType::BF16, -3, 0.5},                 // delta
               {act, DType::BF16, -2, 2},                   // z
               {act, DType::BF16, 0, 0},                    // out
               {size_t(D * N), DType::F32, -2, -0.1},       // A
               {size_t(batch * N * L), DType::BF16, -1, 1}, // B
               {size_t(batch * N * L), DType::BF16, -1, 1}, // C
               {size_t(D), DType::F32, -1, 1},              // D
               {size_t(D), DType::F32, -1, 0.5}};           // delta_bias
  b.params = [=](const std::vector<void *> &d) {
    SelectiveScanParams p{};
    p.u = d[0];
    p.delta = d[1];
    p.z = d[2];
    p.out = d[3];
    p.A = static_cast<const float *>(d[4]);
    p.B = d[5];
    p.C = d[6];
    p.D = static_cast<const float *>(d[7]);
    p.delta_bias = static_cast<const float *>(d[8]);
    p.batch = batch;
    p.seqlen = L;
    p.u_batch_stride = p.delta_batch_stride = p.z_batch_stride =
        p.out_batch_stride = D * L;
    p.u_d_stride = p.delta_d_stride = p.z_d_stride = p.out_d_stride = L;
    p.B_batch_stride = p.C_batch_stride = N * L;
    p.B_group_stride = p.C_group_stride = N * L;
    p.B_n_stride = p.C_n_stride = L;
    return bytesOf(p);
  };
  b.sizes.batch = batch;
  b.sizes.seqlen = L;
  b.floorBytes = 4.0 * act * 2 + 2.0 * batch * N * L * 2;
  b.referenceMs = refMs;
  b.retile = [=](const std::string &t) {
    return selectiveScan(batch, L, refMs, D, t);
  };
  b.floorNote = "exp-bound: " +
                std::to_string(double(batch) * D * L * N / 1e6).substr(0, 6) +
                " M exps";
  return b;
}

Bench ssd(int64_t batch, int64_t L, double refMs, std::string tile = "") {
  const int64_t H = 80, P = 64, N = 128;
  SsdSpec spec;
  spec.heads = H;
  spec.headdim = P;
  spec.dstate = N;
  spec.groups = 1;
  spec.hasDtBias = true;
  spec.tile = tile;
  Bench b;
  b.name = "ssd b" + std::to_string(batch) + " L" + std::to_string(L) +
           " H80 P64 N128 bf16" + tileLabel(tile);
  b.mlir = toMlir(spec);
  size_t act = size_t(batch) * L * H * P;
  size_t bc = size_t(batch) * L * N;
  b.buffers = {{act, DType::BF16, -1, 1},                   // x
               {size_t(batch) * L * H, DType::BF16, -4, 0}, // dt
               {size_t(H), DType::F32, -3, -0.5},           // A
               {bc, DType::BF16, -1, 1},                    // B
               {bc, DType::BF16, -1, 1},                    // C
               {size_t(H), DType::F32, -1, 1},              // D
               {act, DType::BF16, -2, 2},                   // z
               {size_t(H), DType::F32, -1, 1},              // dt_bias
               {act, DType::BF16, 0, 0}};                   // out
  b.params = [=](const std::vector<void *> &d) {
    SsdParams p{};
    p.x = d[0];
    p.dt = d[1];
    p.A = static_cast<const float *>(d[2]);
    p.B = d[3];
    p.C = d[4];
    p.D = d[5];
    p.z = d[6];
    p.dt_bias = d[7];
    p.out = d[8];
    p.batch = batch;
    p.seqlen = L;
    p.x_batch_stride = p.z_batch_stride = p.out_batch_stride = L * H * P;
    p.x_l_stride = p.z_l_stride = p.out_l_stride = H * P;
    p.x_head_stride = p.z_head_stride = p.out_head_stride = P;
    p.dt_batch_stride = L * H;
    p.dt_l_stride = H;
    p.dt_head_stride = 1;
    p.B_batch_stride = p.C_batch_stride = L * N;
    p.B_l_stride = p.C_l_stride = N;
    p.B_group_stride = p.C_group_stride = N;
    p.dt_max = INFINITY;
    return bytesOf(p);
  };
  b.sizes.batch = batch;
  b.sizes.seqlen = L;
  b.floorBytes = 3.0 * act * 2 + 2.0 * bc * 2 + batch * L * H * 2.0;
  b.referenceMs = refMs;
  b.retile = [=](const std::string &t) { return ssd(batch, L, refMs, t); };
  b.floorNote = "bytes (tensor-core FLOPs overlap)";
  return b;
}

Bench stateUpdate(bool headForm, int64_t batch, double refMs,
                  std::string tile = "") {
  const int64_t H = headForm ? 80 : 1, P = headForm ? 64 : 5120,
                N = headForm ? 128 : 16;
  SelectiveStateUpdateSpec spec;
  spec.headForm = headForm;
  spec.heads = H;
  spec.headdim = P;
  spec.dstate = N;
  spec.tile = tile;
  Bench b;
  b.name = std::string("selective_state_update ") +
           (headForm ? "mamba2 H80 P64 N128" : "mamba1 D5120 N16") + " b" +
           std::to_string(batch) + " f32 state" + tileLabel(tile);
  b.mlir = toMlir(spec);
  size_t state = size_t(batch) * H * P * N;
  size_t act = size_t(batch) * H * P;
  b.buffers = {
      {state, DType::F32, -1, 1},                                   // state
      {act, DType::BF16, -1, 1},                                    // x
      {headForm ? size_t(batch * H) : act, DType::BF16, -3, 0.5},   // dt
      {headForm ? size_t(H) : size_t(P * N), DType::F32, -2, -0.1}, // A
      {size_t(batch * N), DType::BF16, -1, 1},                      // B
      {size_t(batch * N), DType::BF16, -1, 1},                      // C
      {size_t(H * (headForm ? 1 : P)), DType::F32, -1, 1},          // D
      {act, DType::BF16, -2, 2},                                    // z
      {size_t(H * (headForm ? 1 : P)), DType::F32, -1, 1},          // dt_bias
      {act, DType::BF16, 0, 0}};                                    // out
  b.params = [=](const std::vector<void *> &d) {
    SelectiveStateUpdateParams p{};
    p.state = d[0];
    p.x = d[1];
    p.dt = d[2];
    p.A = static_cast<const float *>(d[3]);
    p.B = d[4];
    p.C = d[5];
    p.D = d[6];
    p.z = d[7];
    p.dt_bias = d[8];
    p.out = d[9];
    p.batch = batch;
    p.state_batch_stride = H * P * N;
    p.state_head_stride = P * N;
    p.x_batch_stride = p.z_batch_stride = p.out_batch_stride = H * P;
    p.x_head_stride = p.z_head_stride = p.out_head_stride = P;
    p.dt_batch_stride = headForm ? H : P;
    p.dt_head_stride = headForm ? 1 : 0;
    p.B_batch_stride = p.C_batch_stride = N;
    p.B_group_stride = p.C_group_stride = N;
    p.dt_max = INFINITY;
    return bytesOf(p);
  };
  b.sizes.batch = batch;
  b.floorBytes = 2.0 * state * 4 + 3.0 * act * 2;
  b.referenceMs = refMs;
  b.floorNote = "state read + written once";
  b.retile = [=](const std::string &t) {
    return stateUpdate(headForm, batch, refMs, t);
  };
  return b;
}

Bench conv(int64_t batch, int64_t L, std::string tile = "") {
  const int64_t D = 5376; // mamba2-2.7b conv_dim
  CausalConv1dSpec spec;
  spec.channels = D;
  spec.channelLast = true;
  spec.tile = tile;
  Bench b;
  b.name = "causal_conv1d channel_last b" + std::to_string(batch) + " L" +
           std::to_string(L) + " D5376 W4 bf16" + tileLabel(tile);
  b.retile = [=](const std::string &t) { return conv(batch, L, t); };
  b.mlir = toMlir(spec);
  size_t act = size_t(batch) * L * D;
  b.buffers = {{act, DType::BF16, -1, 1},
               {size_t(D * 4), DType::BF16, -1, 1},
               {size_t(D), DType::BF16, -1, 1},
               {act, DType::BF16, 0, 0}};
  b.params = [=](const std::vector<void *> &d) {
    CausalConv1dParams p{};
    p.x = d[0];
    p.weight = d[1];
    p.bias = d[2];
    p.out = d[3];
    p.batch = batch;
    p.seqlen = L;
    p.x_batch_stride = p.out_batch_stride = L * D;
    p.x_l_stride = p.out_l_stride = D;
    p.x_c_stride = p.out_c_stride = 1;
    return bytesOf(p);
  };
  b.sizes.batch = batch;
  b.sizes.seqlen = L;
  b.floorBytes = 2.0 * act * 2;
  b.referenceMs = 0;
  b.floorNote = "bytes";
  return b;
}

} // namespace

int mamba::runKernelBench(const KernelBenchOptions &options) {
  Result<std::shared_ptr<GpuContext>> gpu = GpuContext::open();
  if (!gpu.ok()) {
    std::fprintf(stderr, "mamba-bench kernels: %s\n", gpu.error().c_str());
    return 1;
  }
  Result<std::unique_ptr<Jit>> jit = Jit::create(*gpu);
  if (!jit.ok()) {
    std::fprintf(stderr, "mamba-bench kernels: %s\n", jit.error().c_str());
    return 1;
  }
  GpuContext &g = **gpu;
  std::printf("device: %s (sm_%d, %d SMs)\n", g.name().c_str(),
              g.computeCapability(), g.multiProcessors());
  Result<double> roof = g.copyRoof();
  if (!roof.ok()) {
    std::fprintf(stderr, "mamba-bench kernels: copy roof: %s\n",
                 roof.error().c_str());
    return 1;
  }
  std::printf("copy roof: %.0f GB/s (1 GiB device-to-device, read + write)\n",
              *roof / 1e9);

  const std::string kScanCh2 =
      "warps = 4, channels_per_warp = 2, items = 8, n_tile = 8";
  const std::string kScanByState = "warps = 4, steps = 64";
  std::vector<Bench> benches = {
      selectiveScan(1, 2048, 0.188), selectiveScan(1, 8192, 0.968),
      selectiveScan(8, 2048, 1.45),
      selectiveScan(1, 2048, 0.188, 5120, kScanCh2),
      // The state-parallel variant against the chunked one around the
      // length where the runtime switches (kShortScanMaxSeqLen), and the
      // prefill of 64 prompts of 100 tokens (the e2e batch-64 shapes).
      selectiveScan(1, 2048, 0.188, 5120, kScanByState),
      selectiveScan(1, 255, 0), selectiveScan(1, 255, 0, 5120, kScanByState),
      selectiveScan(8, 128, 0), selectiveScan(8, 128, 0, 5120, kScanByState),
      selectiveScan(8, 256, 0), selectiveScan(8, 256, 0, 5120, kScanByState),
      selectiveScan(64, 100, 0, 1536),
      selectiveScan(64, 100, 0, 1536, kScanByState), selectiveScan(64, 100, 0),
      selectiveScan(64, 100, 0, 5120, kScanByState), ssd(1, 2048, 0.116),
      ssd(1, 2048, 0.116,
          "chunk = 64, p_tile = 16, warps = 4, stages = 2, segments = 1"),
      ssd(1, 2048, 0.116,
          "chunk = 64, p_tile = 64, warps = 4, stages = 1, segments = 1"),
      ssd(1, 2048, 0.116,
          "chunk = 32, p_tile = 64, warps = 8, stages = 2, segments = 3"),
      ssd(1, 8192, 0.422),
      ssd(1, 8192, 0.422,
          "chunk = 32, p_tile = 64, warps = 8, stages = 2, segments = 3"),
      ssd(8, 2048, 0.861), ssd(1, 65536, 4.07), stateUpdate(true, 1, 0.0033),
      stateUpdate(true, 16, 0.032), stateUpdate(true, 128, 0.285),
      stateUpdate(false, 1, 0.0021), stateUpdate(false, 64, 0.0139),
      conv(1, 2048), conv(8, 2048)};

  // --tile: each selected benchmark once per given tile, instead of its own.
  if (!options.tiles.empty()) {
    std::vector<Bench> retiled;
    for (const Bench &b : benches)
      if (options.filter.empty() ||
          b.name.find(options.filter) != std::string::npos)
        for (const std::string &t : options.tiles) {
          Bench r = b.retile(t);
          if (std::none_of(retiled.begin(), retiled.end(),
                           [&](const Bench &o) { return o.name == r.name; }))
            retiled.push_back(std::move(r));
        }
    benches = std::move(retiled);
  }

  int status = 0;
  nlohmann::json results = nlohmann::json::array();
  std::printf("\n%-56s %9s %9s %8s %8s %10s %8s %8s\n", "kernel", "cold_us",
              "hot_us", "GB/s", "of_roof", "mamba_ssm", "x_cold", "x_hot");
  for (const Bench &b : benches) {
    if (!options.filter.empty() &&
        b.name.find(options.filter) == std::string::npos)
      continue;
    Result<std::vector<CompiledKernel>> kernels = (*jit)->compileModule(b.mlir);
    if (!kernels.ok()) {
      // A tile that does not verify fails its row only.
      std::fprintf(stderr, "%s: %s\n", b.name.c_str(), kernels.error().c_str());
      status = 1;
      continue;
    }
    const CompiledKernel &kernel = kernels->front();
    size_t footprint = 0;
    for (const BufferSpec &s : b.buffers)
      footprint += s.elements * dtypeSize(s.dtype);
    // Enough copies that one graph replay streams >= 256 MB.
    int copies = int(std::min<size_t>(
        32, std::max<size_t>(1, (size_t(256) << 20) /
                                    std::max<size_t>(footprint, 1))));
    std::vector<std::vector<DeviceBuffer>> sets(copies);
    std::vector<std::vector<uint8_t>> params;
    for (int c = 0; c < copies; ++c) {
      std::vector<void *> ptrs;
      for (size_t i = 0; i < b.buffers.size(); ++i) {
        Result<DeviceBuffer> buf =
            g.alloc(b.buffers[i].elements * dtypeSize(b.buffers[i].dtype));
        if (!buf.ok()) {
          std::fprintf(stderr, "%s: %s\n", b.name.c_str(), buf.error().c_str());
          return 1;
        }
        Status s = fillRandom(g, buf->data(), b.buffers[i], c * 131 + i);
        if (!s.ok()) {
          std::fprintf(stderr, "%s: %s\n", b.name.c_str(), s.error().c_str());
          return 1;
        }
        ptrs.push_back(buf->data());
        sets[c].push_back(buf.take());
      }
      params.push_back(b.params(ptrs));
    }
    auto launchAll = [&]() -> Status {
      for (int c = 0; c < copies; ++c)
        MAMBA_TRY(kernel.launch(params[c].data(), params[c].size(), b.sizes));
      return Status::success();
    };
    Status warm = launchAll();
    if (!warm.ok() || !g.synchronize().ok()) {
      std::fprintf(stderr, "%s: %s\n", b.name.c_str(), warm.error().c_str());
      return 1;
    }
    // Cold: every launch reads a different copy of the inputs. Hot: the same
    // copy every time, so inputs that fit in L2 stay there (how a kernel
    // timed alone in a loop is usually measured).
    auto timeGraph = [&](const std::function<Status()> &work,
                         int launches) -> Result<double> {
      Result<void *> graph = g.captureGraph(work);
      if (!graph.ok())
        return Error(graph.error());
      Result<double> ms =
          g.medianMs([&] { return g.launchGraph(*graph); }, 3, options.repeats);
      g.destroyGraph(*graph);
      if (!ms.ok())
        return Error(ms.error());
      return *ms / launches;
    };
    Result<double> cold = timeGraph(launchAll, copies);
    Result<double> hot = timeGraph(
        [&]() -> Status {
          for (int c = 0; c < copies; ++c)
            MAMBA_TRY(
                kernel.launch(params[0].data(), params[0].size(), b.sizes));
          return Status::success();
        },
        copies);
    if (!cold.ok() || !hot.ok()) {
      std::fprintf(stderr, "%s: %s\n", b.name.c_str(),
                   (cold.ok() ? hot.error() : cold.error()).c_str());
      return 1;
    }
    double perLaunchMs = *cold;
    double hotMs = *hot;
    double gbps = b.floorBytes / (perLaunchMs * 1e-3) / 1e9;
    double ofRoof = gbps * 1e9 / *roof;
    double speedup = b.referenceMs > 0 ? b.referenceMs / perLaunchMs : 0;
    double hotSpeedup = b.referenceMs > 0 ? b.referenceMs / hotMs : 0;
    std::printf("%-56s %9.2f %9.2f %8.0f %7.1f%% %9.1fus %7.2fx %7.2fx\n",
                b.name.c_str(), perLaunchMs * 1e3, hotMs * 1e3, gbps,
                ofRoof * 100, b.referenceMs * 1e3, speedup, hotSpeedup);
    results.push_back({{"kernel", b.name},
                       {"symbol", kernel.info().symbol},
                       {"registers", kernel.info().registers},
                       {"median_us", perLaunchMs * 1e3},
                       {"median_hot_us", hotMs * 1e3},
                       {"floor_bytes", b.floorBytes},
                       {"achieved_GBps", gbps},
                       {"fraction_of_copy_roof", ofRoof},
                       {"mamba_ssm_us", b.referenceMs * 1e3},
                       {"speedup_vs_mamba_ssm", speedup},
                       {"speedup_hot_vs_mamba_ssm", hotSpeedup},
                       {"input_copies_rotated", copies},
                       {"note", b.floorNote}});
  }
  if (!options.jsonPath.empty()) {
    nlohmann::json doc = {{"device", g.name()},
                          {"copy_roof_GBps", *roof / 1e9},
                          {"results", results}};
    std::ofstream(options.jsonPath) << doc.dump(2) << "\n";
    std::printf("\nwrote %s\n", options.jsonPath.c_str());
  }
  return status;
}
