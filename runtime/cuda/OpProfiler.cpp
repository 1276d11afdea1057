//===- OpProfiler.cpp - device time per op, for tuning --------------------===//

#include "runtime/cuda/OpProfiler.h"
#include "runtime/cuda/CudaDriver.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

using namespace mamba;
using namespace mamba::cuda;

namespace {
const CudaDriver &drv() { return **CudaDriver::get(); }
CUstream asStream(void *s) { return static_cast<CUstream>(s); }
CUevent asEvent(void *e) { return static_cast<CUevent>(e); }
} // namespace

std::unique_ptr<OpProfiler> OpProfiler::fromEnvironment(void *stream) {
  const char *v = std::getenv("MAMBA_PROFILE");
  if (!v || !*v || std::strcmp(v, "0") == 0)
    return nullptr;
  return std::make_unique<OpProfiler>(stream);
}

OpProfiler::~OpProfiler() {
  std::string table = report();
  if (!table.empty())
    std::fputs(table.c_str(), stderr);
  for (void *e : freeEvents_)
    drv().cuEventDestroy(asEvent(e));
}

Status OpProfiler::time(const std::string &key,
                        const std::function<Status()> &launch) {
  CUstreamCaptureStatus capturing = CU_STREAM_CAPTURE_STATUS_NONE;
  MAMBA_TRY(check(drv().cuStreamIsCapturing(asStream(stream_), &capturing),
                  "cuStreamIsCapturing"));
  if (capturing != CU_STREAM_CAPTURE_STATUS_NONE)
    return launch();
  void *events[2];
  for (void *&e : events) {
    if (!freeEvents_.empty()) {
      e = freeEvents_.back();
      freeEvents_.pop_back();
      continue;
    }
    CUevent ev;
    MAMBA_TRY(
        check(drv().cuEventCreate(&ev, CU_EVENT_DEFAULT), "cuEventCreate"));
    e = ev;
  }
  drv().cuEventRecord(asEvent(events[0]), asStream(stream_));
  Status s = launch();
  drv().cuEventRecord(asEvent(events[1]), asStream(stream_));
  pending_.push_back({key, events[0], events[1]});
  if (pending_.size() >= 512)
    drain();
  return s;
}

void OpProfiler::drain() {
  for (Pending &p : pending_) {
    float ms = 0;
    if (drv().cuEventSynchronize(asEvent(p.stop)) == CUDA_SUCCESS &&
        drv().cuEventElapsedTime(&ms, asEvent(p.start), asEvent(p.stop)) ==
            CUDA_SUCCESS) {
      Total &t = totals_[p.key];
      t.calls += 1;
      t.ms += ms;
    }
    freeEvents_.push_back(p.start);
    freeEvents_.push_back(p.stop);
  }
  pending_.clear();
}

std::string OpProfiler::report() {
  drain();
  if (totals_.empty())
    return "";
  std::vector<std::pair<std::string, Total>> rows(totals_.begin(),
                                                  totals_.end());
  std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
    return a.second.ms > b.second.ms;
  });
  double all = 0;
  for (const auto &r : rows)
    all += r.second.ms;
  std::string out = "[mamba profile] device time per op (MAMBA_PROFILE=1), "
                    "graph-captured steps not included\n";
  char line[512];
  std::snprintf(line, sizeof(line), "%10s %8s %10s %6s  %s\n", "total ms",
                "calls", "mean us", "%", "function / op / result shape");
  out += line;
  for (const auto &[key, t] : rows) {
    std::snprintf(line, sizeof(line), "%10.3f %8lld %10.2f %6.2f  %s\n", t.ms,
                  static_cast<long long>(t.calls), 1000.0 * t.ms / t.calls,
                  100.0 * t.ms / all, key.c_str());
    out += line;
  }
  std::snprintf(line, sizeof(line), "%10.3f %8s %10s %6s  all ops\n", all, "",
                "", "");
  return out + line;
}
