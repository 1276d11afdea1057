// Plans one mamba.ssd op (Mamba-2's chunked scan) for a GPU architecture,
// with the tile passes' heuristic or tile parameters of our own, compiles it
// with NVRTC (no GPU needed) and prints the plan and the CUDA C++.
//   emit-cuda [--arch sm_90] [--tile "chunk = 64, p_tile = 32, warps = 8,
//             stages = 2, segments = 1"]
#include "frontend/OpSpecs.h"
#include "runtime/Jit.h"

#include <cstdio>
#include <cstring>
#include <string>

using namespace mamba;

static int fail(const std::string &message) {
  std::fprintf(stderr, "emit-cuda: %s\n", message.c_str());
  return 1;
}

int main(int argc, char **argv) {
  JitOptions options;
  options.arch = "sm_90";
  SsdSpec spec; // bf16, 4 heads of 64, d_state 64, chunks of 256
  for (int i = 1; i < argc; ++i) {
    bool hasValue = i + 1 < argc;
    if (std::strcmp(argv[i], "--arch") == 0 && hasValue)
      options.arch = argv[++i];
    else if (std::strcmp(argv[i], "--tile") == 0 && hasValue)
      spec.tile = argv[++i];
    else
      return fail(std::string("unknown argument '") + argv[i] +
                  "'; usage: emit-cuda [--arch sm_XY] [--tile PARAMS]");
  }
  Result<std::unique_ptr<Jit>> jit = Jit::createCompileOnly(options);
  if (!jit)
    return fail(jit.error());
  Result<std::vector<CompiledKernel>> kernels =
      (*jit)->compileModule(toMlir(spec));
  if (!kernels)
    return fail(kernels.error());
  for (const CompiledKernel &k : *kernels) {
    const KernelInfo &info = k.info();
    std::array<int64_t, 3> grid = k.grid({/*batch=*/2, /*seqlen=*/4096});
    std::printf("// %s for %s: grid (%lld, %lld, %lld) at batch 2 and 4096 "
                "tokens, block (%lld, %lld, %lld), %lld bytes of shared "
                "memory, %d registers, %d bytes spilled\n",
                info.symbol.c_str(), info.arch.c_str(), (long long)grid[0],
                (long long)grid[1], (long long)grid[2],
                (long long)info.block[0], (long long)info.block[1],
                (long long)info.block[2], (long long)info.smem, info.registers,
                info.spillBytes);
    std::printf("%s", info.source.c_str());
  }
  return 0;
}
