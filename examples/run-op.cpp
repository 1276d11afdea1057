// Builds one mamba.selective_scan op with the frontend and runs it on a
// buffer of ours: on the GPU through the JIT when there is one (checked
// against the CPU reference kernel), else on the CPU reference kernel alone.
//   run-op [--cpu]
#include "codegen/device/Params.h"
#include "frontend/OpSpecs.h"
#include "runtime/Jit.h"
#include "runtime/cpu/CpuKernels.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

using namespace mamba;

namespace {

const int64_t kBatch = 2, kChannels = 64, kState = 16, kLength = 256;

int fail(const std::string &message) {
  std::fprintf(stderr, "run-op: %s\n", message.c_str());
  return 1;
}

std::vector<float> random(size_t n, float lo, float hi, std::mt19937 &rng) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

/// The scan's operands, all f32 and contiguous: u, delta, z and out are
/// (batch, channels, length), A (channels, state), B and C (batch, 1 group,
/// state, length), D and the delta bias (channels).
struct Operands {
  std::vector<float> u, delta, z, A, B, C, D, deltaBias;
  explicit Operands(std::mt19937 &rng)
      : u(random(kBatch * kChannels * kLength, -1, 1, rng)),
        delta(random(kBatch * kChannels * kLength, -3, 0.5f, rng)),
        z(random(kBatch * kChannels * kLength, -2, 2, rng)),
        A(random(kChannels * kState, -2, -0.1f, rng)),
        B(random(kBatch * kState * kLength, -1, 1, rng)),
        C(random(kBatch * kState * kLength, -1, 1, rng)),
        D(random(kChannels, -1, 1, rng)),
        deltaBias(random(kChannels, -1, 0.5f, rng)) {}
};

/// out = selective_scan(...) with softplus(delta + delta_bias), D and the z
/// gate, on the CPU.
std::vector<float> runOnCpu(Operands &x) {
  std::vector<float> out(x.u.size());
  const int64_t act[3] = {kChannels * kLength, kLength, 1};
  const int64_t bc[4] = {kState * kLength, kState * kLength, kLength, 1};
  cpu::SelectiveScanArgs a;
  a.batch = kBatch;
  a.channels = kChannels;
  a.seqlen = kLength;
  a.dstate = kState;
  a.deltaSoftplus = true;
  a.u = cpu::View(x.u.data(), act[0], act[1], act[2]);
  a.delta = cpu::View(x.delta.data(), act[0], act[1], act[2]);
  a.z = cpu::View(x.z.data(), act[0], act[1], act[2]);
  a.out = cpu::View(out.data(), act[0], act[1], act[2]);
  a.A = cpu::View(x.A.data(), kState, 1);
  a.B = cpu::View(x.B.data(), bc[0], bc[1], bc[2], bc[3]);
  a.C = cpu::View(x.C.data(), bc[0], bc[1], bc[2], bc[3]);
  a.D = cpu::View(x.D.data(), 1);
  a.deltaBias = cpu::View(x.deltaBias.data(), 1);
  cpu::selectiveScan(a);
  return out;
}

/// The same op compiled for and run on the GPU.
Result<std::vector<float>> runOnGpu(GpuContext &gpu, Jit &jit,
                                    const std::string &mlir, Operands &x) {
  Result<std::vector<CompiledKernel>> kernels = jit.compileModule(mlir);
  if (!kernels)
    return Error(kernels.error());
  const CompiledKernel &kernel = kernels->front();
  std::printf("kernel %s: block %lld, %lld bytes of shared memory, %d "
              "registers\n",
              kernel.info().symbol.c_str(), (long long)kernel.info().block[0],
              (long long)kernel.info().smem, kernel.info().registers);
  // Device copies of the operands, in this order; out last.
  std::vector<float> out(x.u.size());
  std::vector<DeviceBuffer> d;
  for (const std::vector<float> *host :
       {&x.u, &x.delta, &x.z, &x.A, &x.B, &x.C, &x.D, &x.deltaBias, &out}) {
    Result<DeviceBuffer> buffer = gpu.alloc(host->size() * sizeof(float));
    if (!buffer)
      return Error(buffer.error());
    MAMBA_TRY(
        gpu.upload(buffer->data(), host->data(), host->size() * sizeof(float)));
    d.push_back(buffer.take());
  }
  SelectiveScanParams p;
  std::memset(&p, 0, sizeof(p)); // no initial or last state
  p.u = d[0].data();
  p.delta = d[1].data();
  p.z = d[2].data();
  p.A = d[3].as<float>();
  p.B = d[4].data();
  p.C = d[5].data();
  p.D = d[6].as<float>();
  p.delta_bias = d[7].as<float>();
  p.out = d[8].data();
  p.batch = kBatch;
  p.seqlen = kLength;
  p.u_batch_stride = p.delta_batch_stride = p.z_batch_stride =
      p.out_batch_stride = kChannels * kLength;
  p.u_d_stride = p.delta_d_stride = p.z_d_stride = p.out_d_stride = kLength;
  p.B_batch_stride = p.C_batch_stride = kState * kLength;
  p.B_group_stride = p.C_group_stride = kState * kLength;
  p.B_n_stride = p.C_n_stride = kLength;
  LaunchSizes sizes;
  sizes.batch = kBatch;
  sizes.seqlen = kLength;
  MAMBA_TRY(kernel.launch(&p, sizeof(p), sizes));
  MAMBA_TRY(gpu.download(out.data(), p.out, out.size() * sizeof(float)));
  return out;
}

} // namespace

int main(int argc, char **argv) {
  bool cpuOnly = argc > 1 && std::strcmp(argv[1], "--cpu") == 0;
  SelectiveScanSpec spec;
  spec.dtype = DType::F32;
  spec.channels = kChannels;
  spec.dstate = kState;
  std::string mlir = toMlir(spec);
  std::printf("%s", mlir.c_str());

  std::mt19937 rng(2024);
  Operands x(rng);
  std::vector<float> reference = runOnCpu(x);
  double sum = 0;
  for (float v : reference)
    sum += v;
  std::printf("cpu: out[0, 0, 0:4] = %.6f %.6f %.6f %.6f, sum %.6f\n",
              reference[0], reference[1], reference[2], reference[3], sum);

  Result<std::shared_ptr<GpuContext>> gpu =
      cpuOnly ? Result<std::shared_ptr<GpuContext>>(Error("--cpu given"))
              : GpuContext::open();
  if (!gpu) {
    std::printf("gpu: not used (%s)\n", gpu.error().c_str());
    return 0;
  }
  Result<std::unique_ptr<Jit>> jit = Jit::create(*gpu);
  if (!jit)
    return fail(jit.error());
  Result<std::vector<float>> out = runOnGpu(**gpu, **jit, mlir, x);
  if (!out)
    return fail(out.error());
  double err = 0, norm = 0;
  for (size_t i = 0; i < reference.size(); ++i) {
    err += std::pow((*out)[i] - reference[i], 2);
    norm += std::pow(reference[i], 2);
  }
  double rel = std::sqrt(err / norm);
  std::printf("gpu: %s: out[0, 0, 0:4] = %.6f %.6f %.6f %.6f, relative L2 "
              "error to the cpu %.2e\n",
              (*gpu)->name().c_str(), (*out)[0], (*out)[1], (*out)[2],
              (*out)[3], rel);
  return rel < 1e-5 ? 0 : fail("the GPU result differs from the CPU's");
}
