//===- KernelCompileTest.cpp - every kernel variant through NVRTC ---------===//
//
// Needs no GPU: each variant is planned, emitted and compiled to a CUBIN for
// sm_80 and sm_90, and must not spill registers.
//
//===----------------------------------------------------------------------===//

#include "codegen/device/SsdLayout.h"
#include "frontend/OpSpecs.h"
#include "runtime/Jit.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace mamba;

namespace {

const DType kDTypes[] = {DType::F32, DType::F16, DType::BF16};

/// A compile-only Jit for `arch` without a cache; null (and a test failure)
/// when it cannot be made.
std::unique_ptr<Jit> compileOnlyJit(const std::string &arch) {
  JitOptions options;
  options.arch = arch;
  options.cacheDir = "off";
  Result<std::unique_ptr<Jit>> jit = Jit::createCompileOnly(options);
  EXPECT_TRUE(jit.ok()) << jit.error();
  return jit.ok() ? jit.take() : nullptr;
}

/// Compiles all `funcs` for `arch` in one parallel batch and checks every
/// kernel compiled without spills. `kernelsPerFunc` repeats over the funcs.
void compileAll(const std::vector<std::string> &funcs, const std::string &arch,
                std::vector<size_t> kernelsPerFunc = {1}) {
  std::unique_ptr<Jit> jit = compileOnlyJit(arch);
  ASSERT_TRUE(jit);
  std::string module;
  for (const std::string &f : funcs)
    module += f;
  Result<std::vector<CompiledKernel>> kernels = jit->compileModule(module);
  ASSERT_TRUE(kernels.ok()) << kernels.error();
  size_t expected = 0;
  for (size_t i = 0; i < funcs.size(); ++i)
    expected += kernelsPerFunc[i % kernelsPerFunc.size()];
  ASSERT_EQ(kernels->size(), expected);
  for (const CompiledKernel &k : *kernels) {
    EXPECT_GT(k.info().registers, 0) << k.info().symbol;
    EXPECT_EQ(k.info().spillBytes, 0)
        << k.info().symbol << " spills " << k.info().spillBytes
        << " bytes with " << k.info().registers << " registers\n"
        << k.info().source;
  }
}

class ArchTest : public ::testing::TestWithParam<const char *> {};

TEST_P(ArchTest, SelectiveScanVariants) {
  std::vector<std::string> funcs;
  int i = 0;
  for (DType t : kDTypes)
    for (int64_t n : {16, 64, 128, 256}) {
      SelectiveScanSpec s;
      s.dtype = t;
      s.channels = 256;
      s.dstate = n;
      s.lastState = n == 16;
      funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
      // The state-parallel variant that short sequences take.
      s.tile = "warps = 4, steps = 64";
      s.initialState = s.lastState = true;
      funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
    }
  compileAll(funcs, GetParam());
}

TEST_P(ArchTest, SsdVariants) {
  std::vector<std::string> funcs;
  int i = 0;
  for (DType t : kDTypes)
    for (int64_t n : {16, 64, 128, 256})
      for (int64_t p : {32, 64, 128}) {
        SsdSpec s;
        s.dtype = t;
        s.heads = 4;
        s.headdim = p;
        s.dstate = n;
        s.groups = 2;
        funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
      }
  // The plan of large grids (the heuristic's at a larger static batch, for
  // d_state up to 128), also with the sequence split over 3 blocks.
  for (DType t : kDTypes)
    for (int64_t n : {64, 128})
      for (int64_t p : {32, 64})
        for (int segments : {1, 3}) {
          if (p * n > (t == DType::F32 ? 32 : 64) * 128)
            continue;
          SsdSpec s;
          s.dtype = t;
          s.heads = 4;
          s.headdim = 64;
          s.dstate = n;
          s.tile =
              "chunk = 32, p_tile = " + std::to_string(p) +
              ", warps = 8, stages = 2, segments = " + std::to_string(segments);
          funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
        }
  for (DType t : kDTypes)
    for (const char *tile :
         {"",
          "chunk = 64, p_tile = 64, warps = 16, stages = 1, segments = 2"}) {
      SsdSpec s;
      s.dtype = t;
      s.dPerChannel = true;
      s.initialStates = s.seqIdx = s.finalStates = true;
      s.dtMin = 0.001;
      s.dtMax = 0.1;
      s.tile = tile;
      funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
    }
  compileAll(funcs, GetParam());
}

TEST_P(ArchTest, SelectiveStateUpdateVariants) {
  std::vector<std::string> funcs;
  int i = 0;
  for (DType t : kDTypes)
    for (int64_t n : {16, 64, 128, 256}) {
      for (int64_t p : {32, 64, 128}) {
        SelectiveStateUpdateSpec s;
        s.dtype = t;
        s.headdim = p;
        s.dstate = n;
        s.groups = 2;
        funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
      }
      SelectiveStateUpdateSpec m1;
      m1.dtype = t;
      m1.headForm = false;
      m1.headdim = 256;
      m1.dstate = n;
      m1.stateIndices = true;
      funcs.push_back(toMlir(m1, "f" + std::to_string(i++)));
      SelectiveStateUpdateSpec bf;
      bf.dtype = t;
      bf.stateType = DType::BF16;
      bf.dstate = n;
      bf.dPerChannel = true;
      funcs.push_back(toMlir(bf, "f" + std::to_string(i++)));
      // Tuned tiles with several 16-byte vectors a lane (interleaved).
      for (int64_t lanes : {8, 16}) {
        SelectiveStateUpdateSpec tuned;
        tuned.dtype = t;
        tuned.dstate = n;
        tuned.tile = "lanes_per_row = " + std::to_string(lanes) + ", warps = 4";
        funcs.push_back(toMlir(tuned, "f" + std::to_string(i++)));
      }
    }
  // d_state 24: a lane's share of a row is not whole vectors (6 f32 values
  // with the heuristic's 4 lanes, 12 with 2).
  for (DType t : kDTypes)
    for (const char *tile : {"", "lanes_per_row = 2, warps = 4"}) {
      SelectiveStateUpdateSpec odd;
      odd.dtype = t;
      odd.dstate = 24;
      odd.tile = tile;
      funcs.push_back(toMlir(odd, "f" + std::to_string(i++)));
    }
  // The Mamba-1 form with the dt_proj linear folded in (mamba-fuse-decode):
  // dt_rank 4 (the smallest models), 48 (mamba-130m), 160 (mamba-2.8b).
  for (DType t : kDTypes)
    for (int64_t r : {4, 48, 160}) {
      SelectiveStateUpdateSpec m1;
      m1.dtype = t;
      m1.headForm = false;
      m1.headdim = 2560;
      m1.dstate = 16;
      m1.dtRank = r;
      m1.stateIndices = r == 48;
      funcs.push_back(toMlir(m1, "f" + std::to_string(i++)));
    }
  compileAll(funcs, GetParam());
}

/// mamba.conv_state_update (the fused Mamba-2 decode step): every dtype,
/// d_state and headdim with 2 groups, the optional operands, conv widths
/// 2 to 4 with K = W - 1 (the ModelBuilder's) and K = W + 1, a bf16 state,
/// tuned tiles with several vectors a lane, and d_state 24.
TEST_P(ArchTest, ConvStateUpdateVariants) {
  std::vector<std::string> funcs;
  int i = 0;
  for (DType t : kDTypes)
    for (int64_t n : {16, 64, 128, 256}) {
      for (int64_t p : {32, 64, 128}) {
        ConvStateUpdateSpec s;
        s.dtype = s.wtype = t;
        s.headdim = p;
        s.dstate = n;
        s.groups = 2;
        funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
      }
      ConvStateUpdateSpec all;
      all.dtype = all.wtype = t;
      all.dstate = n;
      all.hasZ = all.dPerChannel = all.stateIndices = true;
      all.dtMin = 0.001;
      all.dtMax = 0.1;
      all.stateType = DType::BF16;
      funcs.push_back(toMlir(all, "f" + std::to_string(i++)));
      for (int64_t lanes : {8, 16}) {
        ConvStateUpdateSpec tuned;
        tuned.dtype = tuned.wtype = t;
        tuned.dstate = n;
        tuned.tile = "lanes_per_row = " + std::to_string(lanes) + ", warps = 4";
        funcs.push_back(toMlir(tuned, "f" + std::to_string(i++)));
      }
    }
  for (DType t : kDTypes)
    for (int64_t w : {2, 3, 4})
      for (int64_t k : {w - 1, w + 1}) {
        ConvStateUpdateSpec s;
        s.dtype = s.wtype = t;
        s.width = w;
        s.stateLen = k;
        s.convBias = k == w - 1;
        s.hasD = s.hasDtBias = s.softplus = k != w - 1;
        s.heads = 3;
        s.groups = 3;
        funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
      }
  for (DType t : kDTypes)
    for (const char *tile : {"", "lanes_per_row = 2, warps = 8"}) {
      ConvStateUpdateSpec odd;
      odd.dtype = odd.wtype = t;
      odd.dstate = 24;
      odd.tile = tile;
      funcs.push_back(toMlir(odd, "f" + std::to_string(i++)));
    }
  compileAll(funcs, GetParam());
}

TEST_P(ArchTest, ConvVariants) {
  std::vector<std::string> funcs;
  int i = 0;
  for (DType t : kDTypes)
    for (int64_t w : {2, 3, 4}) {
      for (bool last : {false, true}) {
        CausalConv1dSpec s;
        s.dtype = s.wtype = t;
        s.width = w;
        s.channelLast = last;
        s.initialStates = s.finalStates = s.seqIdx = last;
        funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
      }
      CausalConv1dUpdateSpec u;
      u.dtype = u.wtype = t;
      u.width = w;
      u.stateLen = w;
      u.stateIndices = w == 4;
      funcs.push_back(toMlir(u, "f" + std::to_string(i++)));
    }
  compileAll(funcs, GetParam());
}

/// The packed form (cu_seqlens) of the three prefill kernels: every dtype,
/// both conv layouts and widths 2 to 4 with and without states, the
/// chunked and the state-parallel selective_scan with tuned tiles, and the
/// SSD over the warp splits, both stage counts and the sequence split.
TEST_P(ArchTest, PackedVariants) {
  std::vector<std::string> funcs;
  int i = 0;
  for (DType t : kDTypes) {
    for (int64_t w : {2, 3, 4})
      for (bool last : {false, true}) {
        CausalConv1dSpec s;
        s.dtype = s.wtype = t;
        s.width = w;
        s.channelLast = last;
        s.packed = true;
        s.initialStates = s.finalStates = w != 3;
        funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
      }
    for (const char *tile : {"l_tile = 32, c_tile = 8, threads = 64",
                             "l_tile = 16, c_tile = 64, threads = 256"}) {
      CausalConv1dSpec s;
      s.dtype = s.wtype = t;
      // The wide tile in channels goes with the channel_last layout.
      s.channelLast =
          std::string(tile).find("c_tile = 64") != std::string::npos;
      s.packed = s.initialStates = s.finalStates = true;
      s.tile = tile;
      funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
    }
    for (const char *tile : {"",
                             "warps = 2, channels_per_warp = 1, items = 8, "
                             "n_tile = 4",
                             "warps = 4, steps = 64", "warps = 2, steps = 32"})
      for (int64_t n : {16, 64}) {
        SelectiveScanSpec s;
        s.dtype = t;
        s.channels = 256;
        s.dstate = n;
        s.packed = true;
        s.initialState = s.lastState = n == 16;
        s.tile = tile;
        funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
      }
    for (const char *tile :
         {"", "chunk = 32, p_tile = 32, warps = 4, stages = 2, segments = 1",
          "chunk = 64, p_tile = 32, warps = 8, stages = 1, segments = 1",
          "chunk = 32, p_tile = 64, warps = 16, stages = 2, segments = 1",
          "chunk = 32, p_tile = 64, warps = 8, stages = 2, segments = 3"})
      for (bool states : {false, true}) {
        SsdSpec s;
        s.dtype = t;
        s.dstate = 64;
        s.groups = 2;
        s.packed = true;
        s.initialStates = s.finalStates = states;
        s.tile = tile;
        funcs.push_back(toMlir(s, "f" + std::to_string(i++)));
      }
    // The ragged prefill's ops of the models: mamba-130m's scan (D 1536,
    // N 16) and the demo model's SSD (12 heads, chunks of 64), with states.
    SelectiveScanSpec m1;
    m1.dtype = t;
    m1.channels = 1536;
    m1.packed = m1.initialState = m1.lastState = true;
    funcs.push_back(toMlir(m1, "f" + std::to_string(i++)));
    SsdSpec m2;
    m2.dtype = t;
    m2.heads = 12;
    m2.chunkSize = 64;
    m2.packed = m2.initialStates = m2.finalStates = true;
    funcs.push_back(toMlir(m2, "f" + std::to_string(i++)));
  }
  compileAll(funcs, GetParam());
}

TEST_P(ArchTest, NormAndPointwiseVariants) {
  std::vector<std::string> funcs;
  int i = 0;
  for (DType t : kDTypes) {
    RmsNormSpec r;
    r.dtype = r.wtype = t;
    r.cols = 2560;
    funcs.push_back(toMlir(r, "f" + std::to_string(i++)));
    GatedRmsNormSpec g;
    g.dtype = g.wtype = t;
    g.cols = 1024;
    g.groupSize = 512;
    funcs.push_back(toMlir(g, "f" + std::to_string(i++)));
    ArgmaxSpec am;
    am.dtype = t;
    funcs.push_back(toMlir(am, "f" + std::to_string(i++)));
    std::string ty = "tensor<?x7x" + std::string(dtypeName(t)) + ">";
    funcs.push_back(
        "func.func @p" + std::to_string(i++) + "(%x: " + ty +
        ", %w: tensor<7xf32>, %ids: tensor<?xi64>, %tab: tensor<100x64x" +
        dtypeName(t) + ">) -> (" + ty + ", " + ty + ", tensor<?x64x" +
        dtypeName(t) +
        ">) {\n"
        "  %a = mamba.silu %x : " +
        ty +
        "\n"
        "  %b = mamba.channel_mul %a, %w {dim = 1 : i64} : (" +
        ty + ", tensor<7xf32>) -> " + ty +
        "\n"
        "  %e = mamba.embedding %ids, %tab : (tensor<?xi64>, tensor<100x64x" +
        dtypeName(t) + ">) -> tensor<?x64x" + dtypeName(t) +
        ">\n"
        "  return %a, %b, %e : " +
        ty + ", " + ty + ", tensor<?x64x" + dtypeName(t) + ">\n}\n");
  }
  compileAll(funcs, GetParam(), /*kernelsPerFunc=*/{1, 1, 1, 3});
}

/// The SSD's sequence split: segments cover [0, n_chunks) in order, and a
/// later segment's share shrinks by 3/4 so that its light walk over the
/// earlier chunks (a quarter of a chunk's work each) evens out the blocks.
TEST(SsdSegments, CoverTheSequenceWithEqualWork) {
  for (int segments = 1; segments <= 8; ++segments)
    for (long long n = 0; n <= 300; ++n) {
      EXPECT_EQ(ssd_segment_begin(n, segments, 0), 0);
      EXPECT_EQ(ssd_segment_begin(n, segments, segments), n);
      for (int s = 0; s < segments; ++s)
        EXPECT_LE(ssd_segment_begin(n, segments, s),
                  ssd_segment_begin(n, segments, s + 1))
            << n << " chunks, " << segments << " segments";
    }
  // 3 segments of 37000 chunks: 16000, 12000, 9000.
  EXPECT_EQ(ssd_segment_begin(37000, 3, 1), 16000);
  EXPECT_EQ(ssd_segment_begin(37000, 3, 2), 28000);
  // Work = full chunks + a quarter of the chunks before: equal to a chunk.
  for (int segments : {2, 3, 5, 8}) {
    const long long n = 100000;
    auto work = [&](int s) {
      return double(ssd_segment_begin(n, segments, s + 1) -
                    ssd_segment_begin(n, segments, s)) +
             0.25 * double(ssd_segment_begin(n, segments, s));
    };
    for (int s = 1; s < segments; ++s)
      EXPECT_NEAR(work(s), work(0), 1.0) << segments << " segments";
  }
}

/// The split shrinks as the batch grows: max(1, segments / batch) blocks a
/// sequence, so the grid stays about the size of batch 1's.
TEST(SsdSegments, GridFollowsTheBatch) {
  std::unique_ptr<Jit> jit = compileOnlyJit("sm_90");
  ASSERT_TRUE(jit);
  SsdSpec s;
  s.heads = 8;
  s.tile = "chunk = 32, p_tile = 64, warps = 8, stages = 2, segments = 8";
  std::string module = toMlir(s, "eight");
  s.tile = "chunk = 32, p_tile = 64, warps = 8, stages = 2, segments = 1";
  module += toMlir(s, "one");
  Result<std::vector<CompiledKernel>> k = jit->compileModule(module);
  ASSERT_TRUE(k.ok()) << k.error();
  ASSERT_EQ(k->size(), 2u);
  for (auto [batch, z] : {std::pair<int64_t, int64_t>{1, 8},
                          {2, 4},
                          {3, 2},
                          {4, 2},
                          {5, 1},
                          {64, 1}}) {
    LaunchSizes sizes;
    sizes.batch = batch;
    EXPECT_EQ((*k)[0].grid(sizes), (std::array<int64_t, 3>{8, batch, z}))
        << "batch " << batch;
    EXPECT_EQ((*k)[1].grid(sizes), (std::array<int64_t, 3>{8, batch, 1}))
        << "batch " << batch;
  }
}

INSTANTIATE_TEST_SUITE_P(Sweep, ArchTest, ::testing::Values("sm_80", "sm_90"),
                         [](const auto &info) {
                           return std::string(info.param);
                         });

} // namespace

TEST(CompileModule, ReadsOnlyTheViewItIsGiven) {
  // MLIR's lexer runs to a NUL, not to the end of its buffer: a view into a
  // longer string was lexed past its end (found by fuzz-mamba-ir as a heap
  // overflow on unterminated input), here into a stray '}'.
  std::unique_ptr<Jit> jit = compileOnlyJit("sm_90");
  ASSERT_TRUE(jit);
  std::string text = "module {\n}\n} trailing bytes that are not MLIR";
  std::string_view module(text.data(), text.find("}\n") + 2);
  Result<std::vector<CompiledKernel>> kernels = jit->compileModule(module);
  ASSERT_TRUE(kernels.ok()) << kernels.error();
  EXPECT_TRUE(kernels->empty());
}
