//===- OpProfiler.h - device time per op, for tuning ------------*- C++ -*-===//
//
// With MAMBA_PROFILE=1 in the environment, the CUDA backend brackets every
// op it launches outside graph capture with two events and, when it goes
// away, prints on stderr a table of device time per (function, op, result
// shape), largest first. Ops inside a captured decode graph are not seen:
// run with graphs off (mamba-bench generate --no-cuda-graphs) to include
// them. Events add a few microseconds per op; the totals are for finding
// where time goes, not for quoting.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_CUDA_OPPROFILER_H
#define MAMBA_RUNTIME_CUDA_OPPROFILER_H

#include "runtime/Result.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mamba {
namespace cuda {

class OpProfiler {
public:
  /// A profiler when MAMBA_PROFILE is set to something other than 0,
  /// otherwise null.
  static std::unique_ptr<OpProfiler> fromEnvironment(void *stream);
  explicit OpProfiler(void *stream) : stream_(stream) {}
  ~OpProfiler();

  /// Runs `launch`, timing it under `key` unless the stream is capturing.
  Status time(const std::string &key, const std::function<Status()> &launch);

  /// The table, largest total first.
  std::string report();

private:
  struct Pending {
    std::string key;
    void *start, *stop; // CUevent
  };
  struct Total {
    int64_t calls = 0;
    double ms = 0;
  };
  /// Waits for the pending events and adds their times to the totals.
  void drain();

  void *stream_;
  std::vector<Pending> pending_;
  std::vector<void *> freeEvents_;
  std::map<std::string, Total> totals_;
};

} // namespace cuda
} // namespace mamba

#endif // MAMBA_RUNTIME_CUDA_OPPROFILER_H
