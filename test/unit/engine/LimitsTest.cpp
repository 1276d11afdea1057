//===- LimitsTest.cpp - memory limits and injected allocation failures ----===//
//
// The GPU memory check as a pure function of the byte counts (no GPU
// needed), the prompt limits of a session, and every allocation of a small
// CPU run failed in turn: each failure must come back as a clean error (the
// sanitizer build also checks that nothing leaks or crashes on the way).
//
//===----------------------------------------------------------------------===//

#include "runtime/Limits.h"
#include "runtime/Mamba.h"

#include "EngineTestUtils.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sys/wait.h>
#include <unistd.h>

using namespace mamba;
using mamba::test::cpuModel;
using mamba::test::mambaRunPath;
using mamba::test::testDataDir;
using mamba::test::tinyConfig;

namespace {

/// Turns failure injection off when a test ends, however it ends.
struct NoInjectionAfter {
  ~NoInjectionAfter() { setAllocFailAfter(-1); }
};

TEST(MemoryFits, ComparesNeededWithAvailable) {
  EXPECT_TRUE(checkMemoryFits(0, 0, "x", "y").ok());
  EXPECT_TRUE(checkMemoryFits(1000, 1000, "x", "y").ok());
  Status s = checkMemoryFits(uint64_t(3) << 30, uint64_t(1) << 30,
                             "the bf16 weights of this model",
                             "GPU memory free on NVIDIA H100");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(),
            "the bf16 weights of this model need 3.00 GiB (3221225472 "
            "bytes), but only 1.00 GiB (1073741824 bytes) of GPU memory free "
            "on NVIDIA H100 are available");
  EXPECT_FALSE(checkMemoryFits(UINT64_MAX, UINT64_MAX - 1, "x", "y").ok());
}

TEST(AllocInjection, FailsEveryAllocationAfterN) {
  NoInjectionAfter guard;
  setAllocFailAfter(2);
  EXPECT_TRUE(injectedAllocFailure("a").ok());
  EXPECT_TRUE(injectedAllocFailure("b").ok());
  Status s = injectedAllocFailure("64 bytes");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), "cannot allocate 64 bytes: injected failure "
                       "(MAMBA_FAIL_ALLOC_AFTER=2)");
  EXPECT_FALSE(injectedAllocFailure("c").ok());
  setAllocFailAfter(-1);
  EXPECT_TRUE(injectedAllocFailure("d").ok());
}

TEST(PromptLimit, LongerPromptsAreRefusedBeforeAllocation) {
  std::shared_ptr<Model> model = cpuModel(Arch::Mamba2);
  ASSERT_TRUE(model);
  SessionOptions so;
  so.maxPromptTokens = 8;
  auto s = Session::create(model, 2, so);
  ASSERT_TRUE(s.ok()) << s.error();
  std::vector<int32_t> nine(2 * 9, 5), eight(2 * 8, 5);
  Result<Logits> r = (*s)->prefill(nine, 9, true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("the prompt has 9 tokens per sequence, more than "
                           "the limit of 8"),
            std::string::npos)
      << r.error();
  Result<std::vector<int32_t>> g = (*s)->prefillGreedy(nine, 9);
  ASSERT_FALSE(g.ok());
  EXPECT_TRUE((*s)->prefill(eight, 8).ok());
  EXPECT_TRUE(SessionOptions().maxPromptTokens ==
              SessionOptions::kDefaultMaxPromptTokens);
}

TEST(PromptLimit, LogitsOfEveryPositionMustFitInHostMemory) {
  // With the prompt limit off, a prompt whose per-position logits exceed the
  // machine's memory is refused instead of dying in the allocation.
  std::shared_ptr<Model> model = cpuModel(Arch::Mamba2);
  ASSERT_TRUE(model);
  uint64_t host =
      uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGE_SIZE));
  uint64_t perPosition = uint64_t(model->vocabSize()) * 4;
  uint64_t length = host / perPosition + 1;
  if (length > (uint64_t(1) << 28))
    GTEST_SKIP() << "the prompt would take more than 1 GiB of ids";
  SessionOptions so;
  so.maxPromptTokens = 0;
  auto s = Session::create(model, 1, so);
  ASSERT_TRUE(s.ok()) << s.error();
  std::vector<int32_t> tokens(length, 1);
  Result<Logits> r = (*s)->prefill(tokens, int64_t(length), true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("of host memory are available"), std::string::npos)
      << r.error();
}

/// Loads a model, runs a prefill, a step and a state save, or fails.
Status smallRun(Arch arch) {
  LoadOptions o;
  o.device = Device::Cpu;
  Result<std::shared_ptr<Model>> m = Model::random(tinyConfig(arch), o, 3);
  MAMBA_TRY(m);
  Result<std::unique_ptr<Session>> s = Session::create(*m, 2);
  MAMBA_TRY(s);
  std::vector<int32_t> prompt(2 * 20, 7);
  MAMBA_TRY((*s)->prefill(prompt, 20, /*allPositions=*/true));
  MAMBA_TRY((*s)->step({1, 2}));
  MAMBA_TRY((*s)->stepGreedy({3, 4}));
  MAMBA_TRY((*s)->saveState());
  return Status::success();
}

class AllocFailure : public ::testing::TestWithParam<Arch> {};

TEST_P(AllocFailure, EveryAllocationOfASmallRunFailsCleanly) {
  NoInjectionAfter guard;
  setAllocFailAfter(-1);
  ASSERT_TRUE(smallRun(GetParam()).ok());
  int64_t n = 0;
  for (;; ++n) {
    setAllocFailAfter(n);
    Status s = smallRun(GetParam());
    if (s.ok())
      break;
    ASSERT_NE(s.error().find("injected failure (MAMBA_FAIL_ALLOC_AFTER=" +
                             std::to_string(n) + ")"),
              std::string::npos)
        << "allocation " << n << ": " << s.error();
    ASSERT_LT(n, 100000) << "the run never completes";
  }
  // Weights, state and activations: far more than a handful.
  EXPECT_GT(n, 20);
}

INSTANTIATE_TEST_SUITE_P(Archs, AllocFailure,
                         ::testing::Values(Arch::Mamba1, Arch::Mamba2),
                         [](const auto &info) {
                           return std::string(archName(info.param));
                         });

TEST(AllocFailure, MambaRunReportsAnInjectedFailure) {
  // The environment variable reaches the allocators of a whole process
  // (the run makes about 30 allocations: weights adopted, activations).
  std::string dir = testDataDir() + "/fixtures/mamba2-hf";
  std::string out = ::testing::TempDir() + "limits-logits.npy";
  for (int n : {0, 5, 20}) {
    std::string cmd = "MAMBA_FAIL_ALLOC_AFTER=" + std::to_string(n) + " " +
                      mambaRunPath() + " --model " + dir + " --input-ids " +
                      dir + "/prompt_short.npy --logits-out " + out +
                      " --device cpu --quiet 2>&1";
    FILE *p = ::popen(cmd.c_str(), "r");
    ASSERT_TRUE(p);
    std::string text;
    char buf[512];
    while (size_t k = std::fread(buf, 1, sizeof buf, p))
      text.append(buf, k);
    int status = ::pclose(p);
    ASSERT_TRUE(WIFEXITED(status)) << cmd << "\n" << text;
    EXPECT_EQ(WEXITSTATUS(status), 1) << cmd << "\n" << text;
    EXPECT_NE(text.find("mamba-run: cannot allocate"), std::string::npos)
        << text;
    EXPECT_NE(text.find("injected failure"), std::string::npos) << text;
  }
}

} // namespace
