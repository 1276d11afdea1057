//===- Limits.h - memory limits and allocation-failure injection -*- C++
//-*-===//
//
// What the runtime checks before it allocates (a checkpoint against the free
// GPU memory, the logits of a prompt against host memory), as pure functions
// of the byte counts so that they are testable without a GPU, and a hook
// that makes allocations fail on purpose so that every failure path can be
// tested: with MAMBA_FAIL_ALLOC_AFTER=N in the environment (or
// setAllocFailAfter(N)), the first N allocations of the CPU backend and of
// the GPU context succeed and every later one fails.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_LIMITS_H
#define MAMBA_RUNTIME_LIMITS_H

#include "runtime/Result.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace mamba {

/// "1.50 GiB (1610612736 bytes)".
inline std::string formatBytes(uint64_t bytes) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f GiB (%llu bytes)",
                double(bytes) / double(uint64_t(1) << 30),
                (unsigned long long)bytes);
  return buf;
}

/// Succeeds when `needed` bytes fit in the `available` bytes of `memory`
/// ("GPU memory free on NVIDIA H100"); otherwise says what needs them.
inline Status checkMemoryFits(uint64_t needed, uint64_t available,
                              const std::string &what,
                              const std::string &memory) {
  if (needed <= available)
    return Status::success();
  return Error(what + " need " + formatBytes(needed) + ", but only " +
               formatBytes(available) + " of " + memory + " are available");
}

namespace detail {
/// Allocations made so far, and the number allowed (-1: no limit).
inline std::atomic<int64_t> &allocCount() {
  static std::atomic<int64_t> count{0};
  return count;
}
inline std::atomic<int64_t> &allocLimit() {
  static std::atomic<int64_t> limit{[] {
    const char *v = std::getenv("MAMBA_FAIL_ALLOC_AFTER");
    return v && *v ? std::strtoll(v, nullptr, 10) : int64_t(-1);
  }()};
  return limit;
}
} // namespace detail

/// Lets the next `n` allocations succeed and fails every later one; -1
/// turns failure injection off. Overrides $MAMBA_FAIL_ALLOC_AFTER.
inline void setAllocFailAfter(int64_t n) {
  detail::allocLimit() = n;
  detail::allocCount() = 0;
}

/// Called by each allocator before it allocates: an error when this
/// allocation is to fail, naming the setting.
inline Status injectedAllocFailure(const std::string &what) {
  int64_t limit = detail::allocLimit();
  if (limit < 0 || detail::allocCount()++ < limit)
    return Status::success();
  return Error("cannot allocate " + what +
               ": injected failure (MAMBA_FAIL_ALLOC_AFTER=" +
               std::to_string(limit) + ")");
}

} // namespace mamba

#endif // MAMBA_RUNTIME_LIMITS_H
